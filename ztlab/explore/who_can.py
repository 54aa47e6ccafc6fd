"""Who can act on a resource, and what a principal can reach, over an account snapshot.

Every answer is one engine decision (`ztlab.policy.evaluate`, or `evaluate_pattern` for a
resource pattern such as `arn:aws:s3:::payroll/*`) on the policies `ztlab.access` gathers for
that caller and resource: identity, groups, boundary, SCPs/RCPs and the resource's own policy.
A grant that holds only under conditions is reported with the request context that satisfied
them and the conditions of the statements that allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ztlab.access import (
    AccessReadError, caller_for, caller_text, named_callers, outsider_callers, policy_set_for, resource_policy,
)
from ztlab.policy import Caller, PolicySet, Request, evaluate
from ztlab.policy.intersect import example
from ztlab.policy.pattern_question import evaluate_pattern, is_pattern
from ztlab.policy.patterns import glob_tokens, split_variables
from ztlab.snapshot import AccountSnapshot

# What "can act on it" means for each kind of resource when no action is named: reading,
# writing and taking over (changing who may do the rest).
DEFAULT_ACTIONS = {
    "s3-bucket": ("s3:ListBucket", "s3:PutBucketPolicy", "s3:DeleteBucket"),
    "s3-object": ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
    "kms": ("kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"),
    "iam-role": ("sts:AssumeRole", "iam:PassRole", "iam:AttachRolePolicy", "iam:PutRolePolicy",
                 "iam:UpdateAssumeRolePolicy"),
    "iam-user": ("iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy", "iam:PutUserPolicy"),
    "secretsmanager": ("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                       "secretsmanager:PutResourcePolicy"),
    "sns": ("sns:Publish", "sns:Subscribe", "sns:SetTopicAttributes"),
}
_POSITIVE = ("string", "string_ic", "string_like", "arn", "bool", "ip", "numeric_eq", "numeric_le", "numeric_ge",
             "date_le", "date_ge")


class ExploreError(Exception):
    """A question that cannot be asked: unknown principal or resource, no actions to try."""


@dataclass
class Grant:
    """One allowed (caller, action, resource), with why."""

    principal: str
    kind: str  # user, role, root, outsider, anonymous, service
    action: str
    resource: str
    statements: list[str]
    conditions: dict[str, Any] = field(default_factory=dict)  # the request context it needed
    condition_text: list[str] = field(default_factory=list)  # the allowing statements' conditions
    example: str | None = None  # for a resource pattern: the concrete resource decided

    def as_dict(self) -> dict[str, Any]:
        out = {"principal": self.principal, "kind": self.kind, "action": self.action, "resource": self.resource,
               "statements": self.statements, "requires": self.conditions, "conditions": self.condition_text}
        if self.example:
            out["example_resource"] = self.example
        return out


def resource_kind(arn: str) -> str:
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return ""
    service, rest = parts[2], parts[5]
    if service == "s3":
        return "s3-object" if "/" in rest else "s3-bucket"
    if service == "iam":
        return "iam-role" if rest.startswith("role/") else "iam-user" if rest.startswith("user/") else ""
    return service if service in DEFAULT_ACTIONS else ""


def who_can(snapshot: AccountSnapshot, resource: str, actions: Iterable[str] = ()) -> tuple[list[Grant], list[str]]:
    """(grants, problems): every caller that may perform each action on `resource` (an ARN or a
    pattern). Callers: the account's users and roles (through a session), its root, the
    principals the resource policy names, an outsider account and anonymous."""
    actions = list(actions) or list(DEFAULT_ACTIONS.get(resource_kind(resource), ()))
    if not actions:
        raise ExploreError(f"no default actions for {resource!r}; name them with --actions (e.g. s3:GetObject)")
    callers = _callers(snapshot, resource)
    grants: list[Grant] = []
    problems: list[str] = []
    for kind, caller in callers:
        for action in actions:
            try:
                grant = _ask(snapshot, caller, kind, action, resource)
            except AccessReadError as exc:
                problems.append(f"{caller_text(caller)}: {exc}")
                continue
            if grant is not None:
                grants.append(grant)
    return grants, list(dict.fromkeys(problems))


def can(snapshot: AccountSnapshot, principal: str, actions: Iterable[str] = ()) -> tuple[list[Grant], list[str]]:
    """(grants, problems): what `principal` (a user / role ARN or name) may do to the account's
    buckets (and their objects), keys, roles, users, secrets and topics."""
    arn = _principal_arn(snapshot, principal)
    caller = caller_for(snapshot, arn)
    kind = "role" if ":role/" in arn else "root" if arn.endswith(":root") else "user"
    wanted = [a.lower() for a in actions]
    grants: list[Grant] = []
    problems: list[str] = []
    for resource in _resources(snapshot):
        defaults = DEFAULT_ACTIONS.get(resource_kind(resource), ())
        chosen = [a for a in actions if _same_service(a, resource)] if wanted else list(defaults)
        for action in chosen:
            try:
                grant = _ask(snapshot, caller, kind, action, resource)
            except AccessReadError as exc:
                problems.append(f"{resource}: {exc}")
                continue
            if grant is not None:
                grant.principal = arn
                grants.append(grant)
    return grants, list(dict.fromkeys(problems))


# ---------------------------------------------------------------- one question
def _ask(snapshot: AccountSnapshot, caller: Caller, kind: str, action: str, resource: str) -> Grant | None:
    policies = policy_set_for(snapshot, caller, resource)
    for context in (_no_context(), _satisfying(policies, action)):
        request = Request(action, resource, caller, snapshot.account_id, context)
        if is_pattern(resource):
            answer = evaluate_pattern(request, policies)
            evaluation, concrete = answer.evaluation, answer.example
        else:
            evaluation, concrete = evaluate(request, policies), None
        if evaluation.allowed:
            statements = [m.describe() for m in evaluation.deciding] or [evaluation.explain()]
            texts = [_condition_text(st) for layer, _p, st in evaluation.statements()
                     if st.is_allow and st.conditions]
            return Grant(caller_text(caller), kind, action, resource, statements, dict(context),
                         [t for t in texts if t], concrete)
    return None


def _no_context() -> dict[str, Any]:
    return {}


def _satisfying(policies: PolicySet, action: str) -> dict[str, Any]:
    """A request context meeting the positive conditions of the Allow statements that concern
    the action: the context under which a conditional grant holds."""
    out: dict[str, Any] = {}
    layers = [*policies.identity, *( [policies.resource] if policies.resource else []),
              *([policies.boundary] if policies.boundary else []), *policies.session]
    for policy in layers:
        for st in policy.statements_for(action.lower()):
            if not st.is_allow:
                continue
            for cond in st.conditions:
                if cond.operator.kind not in _POSITIVE or cond.operator.negated or not cond.values:
                    continue
                value = cond.values[0]
                if "${" in value:
                    continue
                if cond.operator.kind in ("string_like", "arn"):
                    value = example(glob_tokens(split_variables(value, variables=False)), "example")
                if cond.operator.kind == "ip":
                    value = value.split("/")[0]
                out.setdefault(cond.key, value)
    return out


def _condition_text(st: Any) -> str:
    return "; ".join(f"{c.operator.written} {c.key_written} {c.values}" for c in st.conditions)


# ---------------------------------------------------------------- who, what
def _callers(snapshot: AccountSnapshot, resource: str) -> list[tuple[str, Caller]]:
    out: list[tuple[str, Caller]] = []
    for user in snapshot.iam.users:
        out.append(("user", caller_for(snapshot, user.arn)))
    for role in snapshot.iam.roles:
        if "/aws-service-role/" not in role.arn:
            out.append(("role", caller_for(snapshot, role.arn)))
    out.append(("root", Caller.from_arn(f"arn:aws:iam::{snapshot.account_id}:root")))
    try:
        guarding = resource_policy(snapshot, resource)
    except AccessReadError:
        guarding = None  # reported per question
    if guarding is not None:
        for caller in named_callers([guarding], snapshot.account_id):
            if caller.account != snapshot.account_id:
                out.append(("outsider", caller))
        for st in guarding.statements:
            for service in (st.principal.service if st.principal else ()):
                out.append(("service", Caller.service(service)))
    out.extend(("outsider", c) for c in outsider_callers())
    out.append(("anonymous", Caller.anonymous()))
    seen: dict[str, tuple[str, Caller]] = {}
    for kind, caller in out:
        seen.setdefault(caller_text(caller), (kind, caller))
    return list(seen.values())


def _resources(snapshot: AccountSnapshot) -> list[str]:
    out: list[str] = []
    for bucket in snapshot.s3.buckets:
        out += [bucket.arn, f"{bucket.arn}/*"]
    out += [k.arn for k in snapshot.kms.keys if getattr(k, "customer_managed", True)]
    out += [r.arn for r in snapshot.iam.roles if "/aws-service-role/" not in r.arn]
    out += [u.arn for u in snapshot.iam.users]
    out += [s["ARN"] for s in snapshot.secretsmanager.secrets if s.get("ARN")]
    out += [t.arn for t in snapshot.sns.topics]
    return out


def _same_service(action: str, resource: str) -> bool:
    service = action.split(":", 1)[0].lower()
    parts = resource.split(":", 5)
    owner = parts[2] if len(parts) > 2 else ""
    return service == owner or (service == "sts" and owner == "iam")


def _principal_arn(snapshot: AccountSnapshot, principal: str) -> str:
    text = principal.strip()
    if text.startswith("arn:"):
        if ":root" in text or any(x.arn == text for x in [*snapshot.iam.users, *snapshot.iam.roles]):
            return text
        if ":assumed-role/" in text:
            return text
        raise ExploreError(f"{text} is not a user or role of account {snapshot.account_id}")
    for entity in [*snapshot.iam.users, *snapshot.iam.roles]:
        if entity.name == text:
            return entity.arn
    raise ExploreError(f"no user or role named {text!r} in account {snapshot.account_id} "
                       "(give its name or ARN; `ztlab policy who-can` lists who exists)")
