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
