"""Run declarative API calls (setup and reference solutions) against the sandbox."""

from __future__ import annotations

from typing import Any

from ztlab.content.models.lab import ApiCall
from ztlab.labs.errors import StepError
from ztlab.labs.operations import call_problem
from ztlab.labs.references import UnknownReference, resolve


def run_steps(steps: list[ApiCall], clients, names: dict[str, Any], *, where: str) -> dict[str, Any]:
    """Run steps in order; returns `names` extended with every value the steps saved."""
    import jmespath
    from botocore.exceptions import ClientError, ParamValidationError

    names = dict(names)
    for index, step in enumerate(steps):
        label = f"{where} step {index + 1} ({step.call})"
        service, operation = step.call.split(".", 1)
        problem = call_problem(step.call)
        if problem:
            raise StepError(f"{label}: {problem}")
        try:
            args = resolve(step.args, names)
        except UnknownReference as exc:
            raise StepError(f"{label}: {exc}") from None
        client = clients.client(service)
        if service == "s3control":
            # the account id would be put in front of a loopback host; the snapshot reader strips it again
            from ztlab.snapshot.services import _s3control

            client = _s3control(clients.client)
        method = getattr(client, operation)
        try:
            response = method(**args)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in step.ignore_errors:
                response = {}
            else:
                raise StepError(f"{label} failed: {code}: {exc.response.get('Error', {}).get('Message', exc)}") from None
        except ParamValidationError as exc:
            raise StepError(f"{label}: invalid arguments: {exc}") from None
        for name, expression in step.save.items():
            try:  # a saved name may pick its item: Associations[?SubnetId=='${db_subnet}']
                expression = resolve(expression, names)
            except UnknownReference as exc:
                raise StepError(f"{label}: saving '{name}': {exc}") from None
            value = jmespath.search(expression, response)
            if value is None:
                raise StepError(f"{label}: saving '{name}': '{expression}' found nothing in the response")
            names[name] = value
    return names
