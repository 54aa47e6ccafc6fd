"""SCP guardrail questions: what may an administrator of a member account still do?"""

from __future__ import annotations

from typing import Any, Iterable

from ztlab.access import AccessReadError, allow_everything, policy_levels, scp_levels
from ztlab.checks._questions import Counterexample, contexts, requests, search
from ztlab.checks.base import Check
from ztlab.checks.model import Finding
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot


def guardrail_setup(check: Check, snapshot: AccountSnapshot) -> tuple[list, list[Finding]]:
    """SCP levels for a member account, or the finding that explains why none can be judged."""
    org = snapshot.organizations
    if org.organization is None:
        return [], [check.account_not_applicable(snapshot, "The account is not in an AWS Organization, so no SCP guardrails apply.")]
    why = org.unreadable("policies") or org.unreadable("account_path")
    if why:
        return [], [check.unknown(snapshot.account_arn, f"the organization's SCPs could not be read: {why}", ids=[snapshot.account_id])]
    broken = [e for e in org.policies if (e.get("ztlabErrors") or {})]
    if broken:
        return [], [check.unknown(snapshot.account_arn, f"SCP {broken[0]['PolicySummary'].get('Name')} could not be read: "
                                  f"{broken[0]['ztlabErrors']}", ids=[snapshot.account_id])]
    # SCPs never limit the management account itself; from there the question is what a member
    # account directly under the root would be limited by.
    management = org.organization.get("MasterAccountId") == snapshot.account_id
    try:
        found = policy_levels(snapshot, (org.account_path or [])[:1]) if management else scp_levels(snapshot)
        levels = [level for level in found if level]
    except AccessReadError as exc:
        return [], [check.unknown(snapshot.account_arn, str(exc), ids=[snapshot.account_id])]
    return levels, []


def member_admin_can(snapshot: AccountSnapshot, levels: list, pairs: Iterable[tuple[str, str]],
                     extra: dict[str, Any] | None = None) -> Counterexample | None:
    """A request by a member account's administrator, allowed through the SCPs, or None."""
    caller = Caller.from_arn(f"arn:aws:iam::{snapshot.account_id}:user/ztlab-probe-admin")
    scps = [p for level in levels for p in level]
    ctxs = contexts(scps, extra or {}, outsider=True)
    policies = PolicySet(identity=[allow_everything("the administrator's own permissions")], scps=levels)
    return search(requests([caller], list(pairs), ctxs, snapshot.account_id), policies, lambda e: e.allowed)


class GuardrailCheck(Check):
    """An SCP guardrail question: the levels a member account is held by are gathered (or the reason
    they cannot be) the same way for every guardrail; `judge()` asks its question of them."""

    sections = ("organizations",)

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        levels, early = guardrail_setup(self, snapshot)
        if early:
            return early
        return self.judge(snapshot, levels, org_resource(snapshot))

    def judge(self, snapshot: AccountSnapshot, levels: list, resource: str) -> Iterable[Finding]:
        raise NotImplementedError


def org_resource(snapshot: AccountSnapshot) -> str:
    org = snapshot.organizations.organization or {}
    return org.get("Arn") or snapshot.account_arn
