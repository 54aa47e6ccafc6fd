"""Privilege-escalation paths: principal -> steps -> administrator, every step an engine decision.

The methods are the published IAM escalation families. A path is reported only when every one
of its steps is allowed by the engine on the policies `ztlab.access` gathers (identity, groups,
boundary, SCPs, the target's resource policy), and its target really is more than the principal
already holds: an administrator role, user or group of the account (allowed `*` on `*`), or a
policy the principal itself is governed by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ztlab.access import AccessReadError, caller_for, caller_text, policy_set_for
from ztlab.policy import Caller, Request, evaluate
from ztlab.policy.pattern_question import evaluate_pattern
from ztlab.snapshot import AccountSnapshot

# One method family per check. Compute services that run code as a passed role: the actions
# that create and start the code, on the service principal that must be trusted by the role.
PASSROLE_SERVICES = {
    "ec2": ("ec2.amazonaws.com", ("ec2:RunInstances",)),
    "lambda": ("lambda.amazonaws.com", ("lambda:CreateFunction", "lambda:InvokeFunction")),
    "glue": ("glue.amazonaws.com", ("glue:CreateDevEndpoint",)),
    "cloudformation": ("cloudformation.amazonaws.com", ("cloudformation:CreateStack",)),
    "datapipeline": ("datapipeline.amazonaws.com", ("datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition",
                                                    "datapipeline:ActivatePipeline")),
    "ecs": ("ecs-tasks.amazonaws.com", ("ecs:RegisterTaskDefinition", "ecs:RunTask")),
}
FAMILIES = {
    "passrole-compute": "iam:PassRole of an administrator role to a compute service that runs your code",
    "policy-version": "iam:CreatePolicyVersion / SetDefaultPolicyVersion on a policy that governs you",
    "self-attach": "Attach*Policy / Put*Policy on yourself, your role or your group",
    "trust-update": "iam:UpdateAssumeRolePolicy on an administrator role, then assume it",
    "other-credentials": "iam:CreateAccessKey / CreateLoginProfile / UpdateLoginProfile for an administrator user",
    "group-membership": "iam:AddUserToGroup into an administrator group",
}
_PROBE = "ztlabprobe:AnyAction"  # no catalogue lists it: only `*`-style grants allow it


@dataclass
class Step:
    action: str
    resource: str
    statements: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "resource": self.resource, "statements": self.statements}


@dataclass
class Path:
    family: str
    method: str
    principal: str
    target: str  # what makes the principal an administrator
    steps: list[Step] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"family": self.family, "method": self.method, "principal": self.principal, "target": self.target,
                "steps": [s.as_dict() for s in self.steps]}

    def describe(self) -> str:
        return f"{self.method}: " + " -> ".join(f"{s.action} on {s.resource}" for s in self.steps) + \
            f" -> administrator via {self.target}"


class Finder:
    """Escalation paths of principals of one snapshot (admin answers are computed once)."""

    def __init__(self, snapshot: AccountSnapshot) -> None:
        self.snapshot = snapshot
        self.account = snapshot.account_id
        self._admin: dict[str, bool] = {}
        self._paths: dict[str, list[Path]] = {}

    # ------------------------------------------------------------ engine questions
    def step(self, caller: Caller, action: str, resource: str) -> Step | None:
        try:
            policies = policy_set_for(self.snapshot, caller, resource)
        except AccessReadError:
            return None
        request = Request(action, resource, caller, self.account, {})
        # "*" asks about any resource: a grant on the service's own ARNs counts
        evaluation = evaluate_pattern(request, policies).evaluation if resource == "*" else evaluate(request, policies)
        if not evaluation.allowed:
            return None
        return Step(action, resource, [m.describe() for m in evaluation.deciding] or [evaluation.explain()])

    def is_admin(self, arn: str) -> bool:
        """Allowed an unlisted action on an arbitrary resource: `*` on `*`, nothing held back."""
        if arn not in self._admin:
            caller = caller_for(self.snapshot, arn)
            self._admin[arn] = self.step(caller, _PROBE, f"arn:aws:ztlabprobe:us-east-1:{self.account}:any/thing") \
                is not None
        return self._admin[arn]

    def admin_group(self, group: Any) -> bool:
        """A group whose policies alone grant `*` on `*` (asked as a fresh member with nothing else)."""
        from ztlab.access import load_policy
        from ztlab.policy import PolicySet

        policies = []
        try:
            for name, doc in group.inline_policies.items():
                policies.append(load_policy(doc, f"inline policy {name} of group {group.name}", "identity"))
            for attached in group.attached_policies:
                managed = self.snapshot.iam.policy(attached.arn) if hasattr(self.snapshot.iam, "policy") else None
                if managed is not None and managed.document is not None:
                    policies.append(load_policy(managed.document, f"policy {attached.name}", "identity"))
                elif attached.arn.endswith(":policy/AdministratorAccess"):
                    policies.append(load_policy({"Version": "2012-10-17", "Statement": [
                        {"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "AdministratorAccess", "identity"))
        except AccessReadError:
            return False
        probe = Caller.from_arn(f"arn:aws:iam::{self.account}:user/ztlab-probe-member")
        return evaluate(Request(_PROBE, f"arn:aws:ztlabprobe:us-east-1:{self.account}:any/thing", probe),
                        PolicySet(identity=policies)).allowed

    # ------------------------------------------------------------ the methods
    def paths(self, principal_arn: str) -> list[Path]:
        if principal_arn not in self._paths:
            self._paths[principal_arn] = self._find(principal_arn)
        return self._paths[principal_arn]

    def _find(self, principal_arn: str) -> list[Path]:
        caller = caller_for(self.snapshot, principal_arn)
        if self.is_admin(principal_arn):
            return []  # already an administrator: nothing to escalate to
        out: list[Path] = []
        for method in (self._passrole, self._policy_versions, self._self_attach, self._trust_update,
                       self._other_credentials, self._group_membership):
            out.extend(method(caller, principal_arn))
        return out

    def _admin_roles(self) -> list[Any]:
        return [r for r in self.snapshot.iam.roles if "/aws-service-role/" not in r.arn and self.is_admin(r.arn)]

    def _passrole(self, caller: Caller, arn: str) -> Iterator[Path]:
        for role in self._admin_roles():
            passing = self.step(caller, "iam:PassRole", role.arn)
            if passing is None:
                continue
            for service, (principal, actions) in PASSROLE_SERVICES.items():
                if not self._trusts(role, principal):
                    continue
                steps = [self.step(caller, a, "*") for a in actions]
                if all(steps):
                    yield Path("passrole-compute", f"PassRole + {service}", arn, role.arn,
                               [passing, *[s for s in steps if s]])

    def _trusts(self, role: Any, service: str) -> bool:
        try:
            policies = policy_set_for(self.snapshot, Caller.service(service), role.arn)
        except AccessReadError:
            return False
        return evaluate(Request("sts:AssumeRole", role.arn, Caller.service(service), self.account), policies).allowed

    def _governing(self, arn: str) -> tuple[list[Any], list[Any]]:
        """(customer managed policies attached to the principal or its groups, its groups)."""
        user = next((u for u in self.snapshot.iam.users if u.arn == arn), None)
        role = next((r for r in self.snapshot.iam.roles if r.arn == arn), None)
        entity = user or role
        if entity is None:
            return [], []
        groups = [g for g in self.snapshot.iam.groups if user is not None and g.name in user.groups]
        attached = [a.arn for a in entity.attached_policies] + [a.arn for g in groups for a in g.attached_policies]
        policies = [p for p in self.snapshot.iam.policies if p.arn in attached and not p.aws_managed]
        return policies, groups

    def _policy_versions(self, caller: Caller, arn: str) -> Iterator[Path]:
        policies, _ = self._governing(arn)
        for policy in policies:
            for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"):
                step = self.step(caller, action, policy.arn)
                if step is not None:
                    yield Path("policy-version", action.split(":")[1], arn, policy.arn, [step])

    def _self_attach(self, caller: Caller, arn: str) -> Iterator[Path]:
        _, groups = self._governing(arn)
        if ":user/" in arn:
            targets = [(a, arn) for a in ("iam:AttachUserPolicy", "iam:PutUserPolicy")]
        else:
            targets = [(a, arn) for a in ("iam:AttachRolePolicy", "iam:PutRolePolicy")]
        targets += [(a, g.arn) for g in groups for a in ("iam:AttachGroupPolicy", "iam:PutGroupPolicy")]
        for action, target in targets:
            step = self.step(caller, action, target)
            if step is not None:
                yield Path("self-attach", action.split(":")[1], arn, target, [step])

    def _trust_update(self, caller: Caller, arn: str) -> Iterator[Path]:
        for role in self._admin_roles():
            if role.arn == arn:
                continue
            update = self.step(caller, "iam:UpdateAssumeRolePolicy", role.arn)
            if update is None:
                continue
            # after rewriting the trust policy only the caller's own side still has to allow the assume
            assume = self._identity_allows(caller, "sts:AssumeRole", role.arn)
            if assume is not None:
                yield Path("trust-update", "UpdateAssumeRolePolicy", arn, role.arn, [update, assume])

    def _identity_allows(self, caller: Caller, action: str, resource: str) -> Step | None:
        from ztlab.policy import PolicySet

        try:
            policies = policy_set_for(self.snapshot, caller, resource)
        except AccessReadError:
            return None
        own = PolicySet(identity=policies.identity, boundary=policies.boundary, scps=policies.scps)
        evaluation = evaluate(Request(action, resource, caller, self.account), own)
        if not evaluation.allowed:
            return None
        return Step(action, resource, [m.describe() for m in evaluation.deciding])

    def _other_credentials(self, caller: Caller, arn: str) -> Iterator[Path]:
        for user in self.snapshot.iam.users:
            if user.arn == arn or not self.is_admin(user.arn):
                continue
            for action in ("iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"):
                step = self.step(caller, action, user.arn)
                if step is not None:
                    yield Path("other-credentials", action.split(":")[1], arn, user.arn, [step])

    def _group_membership(self, caller: Caller, arn: str) -> Iterator[Path]:
        if ":user/" not in arn:
            return
        _, groups = self._governing(arn)
        mine = {g.name for g in groups}
        for group in self.snapshot.iam.groups:
            if group.name in mine or not self.admin_group(group):
                continue
            step = self.step(caller, "iam:AddUserToGroup", group.arn)
            if step is not None:
                yield Path("group-membership", "AddUserToGroup", arn, group.arn, [step])


_last: list = []  # (snapshot, Finder): the six escalation checks of one audit share one search


def finder_for(snapshot: AccountSnapshot) -> Finder:
    if not _last or _last[0] is not snapshot:
        _last[:] = [snapshot, Finder(snapshot)]
    return _last[1]


def principals(snapshot: AccountSnapshot) -> list[str]:
    """The account's users and roles that can act (service-linked roles are the services')."""
    return [u.arn for u in snapshot.iam.users] + \
        [r.arn for r in snapshot.iam.roles if "/aws-service-role/" not in r.arn]


def escalations(snapshot: AccountSnapshot, principal: str | None = None) -> list[Path]:
    """Every escalation path of one principal (name or ARN), or of every user and role."""
    finder = Finder(snapshot)
    if principal is None:
        return [p for arn in principals(snapshot) for p in finder.paths(arn)]
    from ztlab.explore.who_can import _principal_arn

    return finder.paths(_principal_arn(snapshot, principal))


__all__ = ["FAMILIES", "Finder", "Path", "Step", "caller_text", "escalations", "principals"]
