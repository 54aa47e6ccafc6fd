"""The callers every access question considers, and callers a policy singles out by name."""

from __future__ import annotations

import re
from typing import Iterable

from ztlab.policy import Caller, Policy
from ztlab.policy.access import OUTSIDER_ACCOUNT, outsider_callers, same_account_callers, standard_callers
from ztlab.snapshot import AccountSnapshot
from ztlab.snapshot.model import IamRole

# The standard callers belong to the engine's access questions (`ztlab.policy.access`, which lint
# asks too); they are re-exported here so every layer above the engine names callers from one place.
__all__ = ["OUTSIDER_ACCOUNT", "caller_for", "caller_text", "named_callers", "outsider_callers",
           "same_account_callers", "standard_callers"]

_ACCOUNT_ID = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"^arn:[^:]+:(iam|sts)::(\d{12}):(.+)$")


def named_callers(policies: Iterable[Policy], account: str | None = None) -> list[Caller]:
    """Callers the policies single out by name (Principal, NotPrincipal, aws:PrincipalArn values).

    Exemptions hide there, so every question asks about them too. Read from the parsed principals
    and conditions only: a resource ARN or an account id in a Resource is not a caller. A role is
    asked about through a session of it, because a role never calls anything itself.
    """
    values: list[str] = []
    for policy in policies:
        for st in policy.statements:
            for spec in (st.principal, st.not_principal):
                if spec is not None:
                    values.extend(spec.aws)
            for cond in st.conditions:
                if cond.key == "aws:principalarn":
                    values.extend(cond.values)
    out: dict[str, Caller] = {}
    for value in values:
        value = value.strip().replace("*", "x").replace("?", "x")
        if _ACCOUNT_ID.fullmatch(value):
            value = f"arn:aws:iam::{value}:root"
        m = _IAM_ARN.match(value)
        if not m:
            continue
        acct, rest = m.group(2), m.group(3)
        try:
            if rest.startswith("role/"):
                caller = Caller.from_arn(f"arn:aws:sts::{acct}:assumed-role/{rest.rsplit('/', 1)[-1]}/ztlab-probe")
            elif rest == "root" or rest.startswith(("user/", "assumed-role/")):
                caller = Caller.from_arn(value)
            else:
                continue
        except ValueError:
            continue
        out.setdefault(caller.arn or value, caller)
    return list(out.values())


def caller_text(caller: Caller) -> str:
    """How a finding or an objective names the caller."""
    if caller.arn:
        return caller.arn
    if caller.principal_type == "Anonymous":
        return "anonymous (unauthenticated)"
    return caller.service_name or caller.principal_type


def caller_for(snapshot: AccountSnapshot, principal: str) -> Caller:
    """The caller as AWS sees it, with its tags: a role acts through a session, so role ARNs become
    session ARNs. `*` (or `anonymous`) is an unauthenticated caller; `<name>.amazonaws.com` a service."""
    text = principal.strip()
    if text.lower() in ("*", "anonymous"):
        return Caller.anonymous()
    if text.endswith(".amazonaws.com") and not text.startswith("arn:"):
        return Caller.service(text)
    kind, name = entity(text)
    account = text.split(":")[4] if text.startswith("arn:") else ""
    tags: dict[str, str] = {}
    if kind == "role":
        role = role_named(snapshot, name)
        tags = dict(role.tags) if role else {}
        if ":role/" in text:
            text = f"arn:aws:sts::{account}:assumed-role/{name}/ztlab-session"
    elif kind == "user":
        user = snapshot.iam.user(name)
        tags = dict(user.tags) if user else {}
    return Caller.from_arn(text, tags=tags or None)


def entity(arn: str) -> tuple[str, str]:
    """('user'|'role'|'', name) from a user, role or assumed-role ARN."""
    resource = arn.split(":", 5)[-1]
    if resource.startswith("user/"):
        return "user", resource.rsplit("/", 1)[-1]
    if resource.startswith("role/"):
        return "role", resource.rsplit("/", 1)[-1]
    if resource.startswith("assumed-role/"):
        return "role", resource.split("/")[1]
    return "", ""


def role_named(snapshot: AccountSnapshot, name: str) -> IamRole | None:
    return next((r for r in snapshot.iam.roles if r.name == name), None)
