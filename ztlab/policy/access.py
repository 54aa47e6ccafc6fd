"""Access questions: "can anyone do X to Y without TLS?" answered by evaluating a small,
deliberate enumeration of concrete requests, with a counterexample when the answer is yes.

A check states its question as requests (callers x contexts x actions x resources) and a
predicate on the Evaluation; find_request returns the first request where it holds.
"""

from __future__ import annotations

import itertools
from typing import Callable, Iterable, Iterator

from ztlab.policy.evaluate import Evaluation, PolicySet, Request, evaluate
from ztlab.policy.principals import Caller

ABSENT = None  # a variant value meaning "the key is not in the request"

# An account no lab or fixture names: "anyone else on AWS". One id everywhere (checks, objectives,
# lint, who-can), so two questions about outsiders ask about the same outsider.
OUTSIDER_ACCOUNT = "481516234200"
# Asked instead only when the account under question is the outsider's own.
_SECOND_OUTSIDER = "481516234201"


def context_variants(*, tls: bool = False, mfa: bool = False, source_ip: tuple[str, str] | None = None,
                     extra: dict | None = None) -> list[dict]:
    """The cross product of the dimensions asked for; each variant is a request context.

    tls: aws:SecureTransport true / false / absent.
    mfa: aws:MultiFactorAuthPresent true (with aws:MultiFactorAuthAge 300 s) / false / absent.
    source_ip=(inside, outside): aws:SourceIp inside / outside / absent (calls made through
      an AWS service carry no source IP, and negated operators are true on absent keys).
    extra: {key: [values...]} adds dimensions; use None in the list for "absent"; a value that
      is not a list is fixed in every variant.
    With no dimension at all there is one variant: the empty context.
    """
    dimensions: list[list[dict]] = []
    if tls:
        dimensions.append([{"aws:SecureTransport": "true"}, {"aws:SecureTransport": "false"}, {}])
    if mfa:
        dimensions.append([{"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300"},
                           {"aws:MultiFactorAuthPresent": "false"}, {}])
    if source_ip is not None:
        inside, outside = source_ip
        dimensions.append([{"aws:SourceIp": inside}, {"aws:SourceIp": outside}, {}])
    fixed: dict = {}
    for key, values in (extra or {}).items():
        if isinstance(values, list):
            dimensions.append([{} if v is ABSENT else {key: v} for v in values] or [{}])
        else:
            fixed[key] = values
    variants = []
    for combo in itertools.product(*dimensions):
        merged = dict(fixed)
        for part in combo:
            merged.update(part)
        variants.append(merged)
    return variants


def other_account(account_id: str) -> str:
    """An account that is not `account_id`: the outsider, unless the question is about its own account."""
    return OUTSIDER_ACCOUNT if account_id != OUTSIDER_ACCOUNT else _SECOND_OUTSIDER


def same_account_callers(account: str) -> list[Caller]:
    """A user, a role session and the account root of `account`."""
    return [
        Caller.from_arn(f"arn:aws:iam::{account}:user/ztlab-probe-user"),
        Caller.from_arn(f"arn:aws:sts::{account}:assumed-role/ztlab-probe-role/session"),
        Caller.from_arn(f"arn:aws:iam::{account}:root"),
    ]


def outsider_callers(account: str = OUTSIDER_ACCOUNT) -> list[Caller]:
    """The root, a user and a role session of another account."""
    return [
        Caller.from_arn(f"arn:aws:iam::{account}:root"),
        Caller.from_arn(f"arn:aws:iam::{account}:user/ztlab-outsider"),
        Caller.from_arn(f"arn:aws:sts::{account}:assumed-role/ztlab-outsider-role/session"),
    ]


def standard_callers(account: str) -> list[Caller]:
    """Same account, another account, anonymous: who a zero-trust question must consider."""
    return [*same_account_callers(account), *outsider_callers(other_account(account)), Caller.anonymous()]


def build_requests(actions: Iterable[str], resources: Iterable[str], callers: Iterable[Caller],
                   contexts: Iterable[dict] = ({},), *, resource_owner: str | None = None) -> Iterator[Request]:
    """Every combination, callers outermost (so counterexamples name the simplest caller first)."""
    actions, resources, contexts = list(actions), list(resources), list(contexts)
    for caller in callers:
        for context in contexts:
            for action in actions:
                for resource in resources:
                    yield Request(action, resource, caller, resource_owner, context)


def find_request(requests: Iterable[Request], policies: PolicySet | Callable[[Request], PolicySet],
                 predicate: Callable[[Evaluation], bool]) -> tuple[Request, Evaluation] | None:
    """The first request whose evaluation satisfies `predicate` (e.g. `lambda e: e.allowed`),
    or None. `policies` may depend on the request (a caller's own identity policies)."""
    for request in requests:
        policy_set = policies(request) if callable(policies) else policies
        evaluation = evaluate(request, policy_set)
        if predicate(evaluation):
            return request, evaluation
    return None


def describe_request(request: Request) -> str:
    """One line a learner can read: who, what, where, under which context."""
    caller = request.caller
    who = caller.arn or caller.service_name or caller.provider or caller.principal_type.lower()
    ctx = ", ".join(f"{k}={v}" for k, v in request.context.items()) or "no context keys"
    return f"{who} -> {request.action} on {request.resource} ({ctx})"
