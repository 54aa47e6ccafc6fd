"""Request context: normalised values and the keys AWS derives from the request itself."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Mapping

from ztlab.policy.document import scalar_text
from ztlab.policy.principals import Caller


def context_values(value: object) -> list[str] | None:
    """One context value as AWS sees it: a list of strings (None means absent).
    JSON true and "true" are the same; a single value is a one-element list."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        out: list[str] = []
        for item in value:
            text = _scalar(item)
            if text is not None:
                out.append(text)
        return out
    text = _scalar(value)
    return None if text is None else [text]


def _scalar(item: object) -> str | None:
    """A request's context value as the string conditions compare, the way policy values are read."""
    if item is None:
        return None
    if isinstance(item, datetime):
        return item.isoformat()
    text = scalar_text(item)
    return str(item) if text is None else text


def normalise_context(context: Mapping[str, object], into: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Key names are case-insensitive, like AWS."""
    out: dict[str, list[str]] = {} if into is None else into
    for key, value in context.items():
        if type(value) is str:  # the common case, kept cheap
            out[key.lower()] = [value]
            continue
        values = context_values(value)
        if values is not None:
            out[key.lower()] = values
    return out


@lru_cache(maxsize=4096)  # asked several times per request, of the same few resources
def arn_account(resource: str) -> str | None:
    parts = resource.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and len(parts[4]) == 12 and parts[4].isdigit():
        return parts[4]
    return None


def derived_context(caller: Caller, resource: str, resource_owner: str | None) -> dict[str, list[str]]:
    """Keys AWS fills in from the caller and the resource (request keys override them)."""
    cached = caller.__dict__.get("_derived_context")
    if cached is None:
        cached = _caller_context(caller)
        object.__setattr__(caller, "_derived_context", cached)  # a Caller never changes
    out = dict(cached)
    owner = arn_account(resource) or resource_owner or caller.account
    if owner:
        out["aws:resourceaccount"] = [owner]
    return out


def _caller_context(caller: Caller) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if caller.principal_type == "Unspecified":  # nothing is known about who calls
        return out
    kind = caller.principal_type
    if caller.principal_arn:
        out["aws:principalarn"] = [caller.principal_arn]
    if caller.account:
        out["aws:principalaccount"] = [caller.account]
    principal_type = {"Account": "Account", "User": "User", "AssumedRole": "AssumedRole", "Role": "AssumedRole",
                      "FederatedUser": "FederatedUser", "Anonymous": "Anonymous"}.get(kind)
    if principal_type:
        out["aws:principaltype"] = [principal_type]
    if kind == "User" and caller.name:
        out["aws:username"] = [caller.name]
    if caller.user_id:
        out["aws:userid"] = [caller.user_id]
    for tag_key, tag_value in caller.tags.items():
        out[f"aws:principaltag/{tag_key.lower()}"] = [tag_value]
    out["aws:principalisawsservice"] = ["true" if kind == "Service" else "false"]
    if kind == "Service" and caller.service_name:
        out["aws:principalservicename"] = [caller.service_name]
    return out
