"""Who a role's trust policy lets in: callers in other accounts, built from the Principal values."""

from __future__ import annotations

import re
from typing import Iterable

from ztlab.access import OUTSIDER_ACCOUNT
from ztlab.checks._questions import concrete
from ztlab.policy import Caller, Policy

_ACCOUNT_IN_ARN = re.compile(r"^arn:[^:]+:(iam|sts)::([^:]*):(.*)$")


def external_callers(policy: Policy, own_account: str) -> list[Caller]:
    """Callers from other accounts that an Allow statement of the trust policy names."""
    out: list[Caller] = []
    for st in policy.statements:
        if not st.is_allow:
            continue
        spec = st.principal
        values: Iterable[str] = ("*",) if spec is not None and spec.everyone else (spec.aws if spec else ())
        if st.not_principal is not None:
            values = ("*",)
        for value in values:
            out.extend(_callers_for(value.strip(), own_account))
    seen: dict[str, Caller] = {}
    for c in out:
        seen.setdefault(c.arn or "", c)
    return list(seen.values())


def _callers_for(value: str, own: str) -> list[Caller]:
    if value == "*":
        return _account_callers(OUTSIDER_ACCOUNT)
    if re.fullmatch(r"\d{12}", value):
        return [] if value == own else _account_callers(value)
    m = _ACCOUNT_IN_ARN.match(value)
    if not m:
        return []
    account = concrete(m.group(2)) if m.group(2) else OUTSIDER_ACCOUNT
    if account == own:
        return []
    if not re.fullmatch(r"\d{12}", account):
        account = OUTSIDER_ACCOUNT
    rest = m.group(3)
    try:
        if rest == "root":
            return _account_callers(account)
        if rest.startswith("user/"):
            return [Caller.from_arn(f"arn:aws:iam::{account}:user/{concrete(rest.rsplit('/', 1)[-1])}")]
        if rest.startswith("role/"):
            return [Caller.from_arn(f"arn:aws:sts::{account}:assumed-role/{concrete(rest.rsplit('/', 1)[-1])}/ztlab-probe")]
        if rest.startswith("assumed-role/"):
            return [Caller.from_arn(f"arn:aws:sts::{account}:{concrete(rest)}")]
    except ValueError:
        return []
    return _account_callers(account)


def _account_callers(account: str) -> list[Caller]:
    return [
        Caller.from_arn(f"arn:aws:iam::{account}:root"),
        Caller.from_arn(f"arn:aws:iam::{account}:user/ztlab-probe-user"),
        Caller.from_arn(f"arn:aws:sts::{account}:assumed-role/ztlab-probe-role/ztlab-probe"),
    ]
