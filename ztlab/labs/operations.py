"""Which calls a lab step may make: the public operations of a boto3 client, named as boto3 names
them (botocore's service model, snake_cased by botocore's own `xform_name`).

`getattr(client, name)` would also find `_make_api_call`, `__class__` or `meta`; a step naming one
of those passed `content check` and then failed `lab start` with a TypeError. Content check and the
step runner ask this one list, so whatever the check accepts, the runner can call.
"""

from __future__ import annotations

from functools import cache


@cache
def operations(service: str) -> frozenset[str] | None:
    """The client's operation method names, or None when boto3 has no such service."""
    import botocore.session
    from botocore import xform_name
    from botocore.exceptions import UnknownServiceError

    try:
        model = botocore.session.get_session().get_service_model(service)
    except UnknownServiceError:
        return None
    return frozenset(xform_name(name) for name in model.operation_names)


def call_problem(call: str) -> str | None:
    """Why `service.operation` cannot be a lab step, or None when it can."""
    service, _, operation = call.partition(".")
    known = operations(service)
    if known is None:
        return f"'{service}' is not an AWS service boto3 knows"
    if operation not in known:
        return f"'{operation}' is not an operation of the {service} client"
    return None
