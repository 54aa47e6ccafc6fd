"""`${name}` references and `{$json: ...}` documents inside lab steps and objectives."""

from __future__ import annotations

import json
import re
from typing import Any

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


class UnknownReference(KeyError):
    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        super().__init__(name)

    def __str__(self) -> str:
        return f"'${{{self.name}}}' is not defined here (known: {', '.join(sorted(self.known)) or 'none'})"


def resolve(value: Any, names: dict[str, Any]) -> Any:
    """Substitute references throughout a structure. A string that is exactly one reference keeps the
    referenced value's type (a list stays a list); IAM policy variables such as `${aws:username}`
    contain a colon and are left alone."""
    if isinstance(value, str):
        whole = _REF.fullmatch(value)
        if whole:
            return _lookup(whole.group(1), names)
        return _REF.sub(lambda m: str(_lookup(m.group(1), names)), value)
    if isinstance(value, list):
        return [resolve(item, names) for item in value]
    if isinstance(value, dict):
        if set(value) == {"$json"}:
            return json.dumps(resolve(value["$json"], names))
        return {key: resolve(item, names) for key, item in value.items()}
    return value


def _lookup(name: str, names: dict[str, Any]) -> Any:
    if name not in names:
        raise UnknownReference(name, list(names))
    return names[name]


def account_names(snapshot) -> dict[str, Any]:
    """Names that only exist once the learner has created something, read from the account at grading
    time: `${secret.<name>}` is the ARN of the Secrets Manager secret called <name> (its ARN ends in
    random characters, so a lab cannot know it in advance) and `${secret_key.<name>}` the ARN of the KMS
    key that encrypts it."""
    names: dict[str, Any] = {}
    for secret in snapshot.secretsmanager.secrets:
        name, arn = secret.get("Name"), secret.get("ARN")
        if not name or not arn:
            continue
        names[f"secret.{name}"] = arn
        reference = secret.get("KmsKeyId") or "alias/aws/secretsmanager"
        key = snapshot.kms.find(reference)
        if key is not None:
            names[f"secret_key.{name}"] = key.arn
        elif reference.startswith("arn:"):
            names[f"secret_key.{name}"] = reference
        else:
            names[f"secret_key.{name}"] = f"arn:aws:kms:{snapshot.region}:{snapshot.account_id}:{reference}"
    return names


def missing_resource_message(exc: UnknownReference) -> str | None:
    """A learner-facing FAIL message when an account-derived name is missing (the thing is not created yet)."""
    kind, _, name = exc.name.partition(".")
    if kind in ("secret", "secret_key") and name:
        return (f"There is no Secrets Manager secret named '{name}' in the account yet"
                f"{' (so no key encrypts it)' if kind == 'secret_key' else ''}. Create it with that exact name.")
    return None
