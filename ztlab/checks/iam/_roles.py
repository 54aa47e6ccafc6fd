"""What the trust-policy checks share: each role's trust policy, parsed, and who may assume it."""

from __future__ import annotations

from typing import Any, Iterable

from ztlab.access import AccessReadError, allow_everything, load_policy
from ztlab.checks._questions import Counterexample, contexts, requests, search
from ztlab.checks.iam._trust import external_callers
from ztlab.policy import Caller, Policy, PolicySet
from ztlab.snapshot import AccountSnapshot, IamRole

ASSUME = "sts:AssumeRole"


def own_roles(snapshot: AccountSnapshot) -> list[IamRole]:
    return [r for r in snapshot.iam.roles if not r.path.startswith("/aws-service-role/")]


def trust(role: IamRole) -> Policy:
    if role.trust_policy is None:
        raise AccessReadError(f"role {role.name} has no readable trust policy")
    return load_policy(role.trust_policy, f"trust policy of {role.name}")


def can_assume(role: IamRole, policy: Policy, callers: Iterable[Caller], ctxs: list[dict[str, Any]],
               account: str) -> Counterexample | None:
    """A request by one of `callers` (whose own permissions allow everything) that may assume the role."""
    policies = PolicySet(identity=[allow_everything("the caller's own permissions")], resource=policy)
    return search(requests(callers, [(ASSUME, role.arn)], ctxs, account), policies, lambda e: e.allowed)


def cross_account_question(snapshot: AccountSnapshot, role: IamRole,
                           fixed: dict[str, Any] | list[dict[str, Any]]) -> tuple[list[Caller], Counterexample | None]:
    """External callers named by the trust policy, and one of them assuming it under `fixed` keys."""
    policy = trust(role)
    callers = external_callers(policy, snapshot.account_id)
    if not callers:
        return [], None
    variants = fixed if isinstance(fixed, list) else [fixed]
    ctxs = [c for f in variants for c in contexts([policy], f)]
    return callers, can_assume(role, policy, callers, ctxs, snapshot.account_id)

