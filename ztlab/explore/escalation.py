"""Privilege-escalation paths: principal -> steps -> administrator, every step an engine decision.

The methods are the published IAM escalation families. A path is reported only when every one
of its steps is allowed by the engine on the policies `ztlab.access` gathers (identity, groups,
boundary, SCPs, the target's resource policy), and its target really is more than the principal
already holds: an administrator role, user or group of the account (allowed `*` on `*`), or a
policy the principal itself is governed by.

Paths chain: a move either ends in administrator (a policy version, a policy on oneself, an
administrator group, or becoming an administrator role or user) or makes the caller another
principal (assuming a role its trust policy lets it assume, passing a role to a compute service,
rewriting a role's trust, minting a user's credentials), from which the search goes on, at most
MAX_MOVES moves deep and never back to a principal already on the chain. A chain made only of
role assumptions is delegation the trust policies grant, not escalation: a path holds at least
one method, and its family is the family of its last method.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterator

from ztlab.access import AccessReadError, caller_for, caller_text, load_policy, policy_set_for, resource_policy
from ztlab.policy import Caller, PolicySet, Request, evaluate
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
ASSUME = "assume-role"  # a move that is no method: the role's trust policy lets the caller in
MAX_MOVES = 3  # e.g. assume a role, mint another user's key, then pass an administrator role
_PROBE = "ztlabprobe:AnyAction"  # no catalogue lists it: only `*`-style grants allow it


@dataclass
class Step:
    action: str
    resource: str
    statements: list[str]
    actor: str = ""  # the principal making the call (the path's principal or one it became)

    def as_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "action": self.action, "resource": self.resource, "statements": self.statements}


@dataclass
class Move:
    """One move of a chain: `kind` is a family or ASSUME; `becomes` is the principal the actor
    turns into, or None when the move itself makes it an administrator."""

    kind: str
    method: str
    target: str
    steps: list[Step]
    becomes: str | None


@dataclass
class Path:
    family: str
    method: str
    principal: str
    target: str  # what makes the principal an administrator
    steps: list[Step] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)  # the principal, then each principal it becomes

    @property
    def moves(self) -> int:
        return len(self.chain)

    def as_dict(self) -> dict[str, Any]:
        return {"family": self.family, "method": self.method, "principal": self.principal, "target": self.target,
                "hops": self.moves, "chain": self.chain, "steps": [s.as_dict() for s in self.steps]}

    def describe(self) -> str:
        def step_text(s: Step) -> str:
            return f"{s.action} on {s.resource}" + (f" (as {s.actor})" if s.actor != self.principal else "")

        return f"{self.method}: " + " -> ".join(step_text(s) for s in self.steps) + \
            f" -> administrator via {self.target}"


class Finder:
    """Escalation paths of principals of one snapshot (admin answers and each principal's moves
    are computed once)."""

    def __init__(self, snapshot: AccountSnapshot) -> None:
        self.snapshot = snapshot
        self.account = snapshot.account_id
        self._admin: dict[str, bool] = {}
        self._paths: dict[str, list[Path]] = {}
        self._moves: dict[str, list[Move]] = {}
        self._trust: dict[tuple[str, str], bool] = {}
        self._unlocked: dict[tuple[str, str], bool] = {}
        self._guards: dict[tuple[str, tuple[str, ...]], list[tuple[Any, list[Any] | None]]] = {}

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

    def candidates(self, caller: Caller, action: str, targets: list[Any]) -> list[Any]:
        """The targets worth one engine question each. A same-account request is allowed only
        when the caller's own side allows the action on some resource, or the target's resource
        policy names the caller itself (engine: "any", "direct" or "role"): when neither can
        hold, the target's answer is known to be no, and most accounts' principals ask nothing."""
        key = (caller_text(caller), action)
        if key not in self._unlocked:
            self._unlocked[key] = self.step(caller, action, "*") is not None
        if self._unlocked[key]:
            return targets
        return [t for t, allows in self._guarded(action, targets)
                if allows is None or any(st.principal_match(caller) in ("any", "direct", "role") for st in allows)]

    def _guarded(self, action: str, targets: list[Any]) -> list[tuple[Any, list[Any] | None]]:
        """(target, Allow statements of its resource policy for the action), for the targets
        whose policy has any (None: unreadable, the step itself will say so)."""
        key = (action, tuple(t.arn for t in targets))
        if key not in self._guards:
            out: list[tuple[Any, list[Any] | None]] = []
            for target in targets:
                try:
                    guard = resource_policy(self.snapshot, target.arn)
                except AccessReadError:
                    out.append((target, None))
                    continue
                allows = [st for st in guard.statements_for(action.lower()) if st.is_allow] if guard else []
                if allows:
                    out.append((target, allows))
            self._guards[key] = out
        return self._guards[key]

    def is_admin(self, arn: str) -> bool:
        """Allowed an unlisted action on an arbitrary resource: `*` on `*`, nothing held back."""
        if arn not in self._admin:
            caller = caller_for(self.snapshot, arn)
            self._admin[arn] = self.step(caller, _PROBE, f"arn:aws:ztlabprobe:us-east-1:{self.account}:any/thing") \
                is not None
        return self._admin[arn]

    def admin_group(self, group: Any) -> bool:
        """A group whose policies alone grant `*` on `*` (asked as a fresh member with nothing else)."""
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

    # ------------------------------------------------------------ the search
    def paths(self, principal_arn: str) -> list[Path]:
        if principal_arn not in self._paths:
            self._paths[principal_arn] = self._find(principal_arn)
        return self._paths[principal_arn]

    def _find(self, origin: str) -> list[Path]:
        """Breadth first, so each (family, method, target) is reported by its shortest chain."""
        if self.is_admin(origin):
            return []  # already an administrator: nothing to escalate to
        found: dict[tuple[str, str, str], Path] = {}
        queue: deque[tuple[str, list[Move]]] = deque([(origin, [])])
        seen = {(origin, False)}
        while queue:
            arn, chain = queue.popleft()
            for move in self.moves(arn):
                principals = [origin, *(m.becomes for m in chain)]
                if move.becomes in principals:
                    continue  # a cycle: back to a principal already on the chain
                moves = [*chain, move]
                methods = [m for m in moves if m.kind != ASSUME]
                if move.becomes is None or self.is_admin(move.becomes):
                    if methods:
                        last = methods[-1]
                        found.setdefault((last.kind, last.method, move.target), Path(
                            last.kind, last.method, origin, move.target, [s for m in moves for s in m.steps],
                            principals))
                    continue  # an administrator has nowhere further to go
                state = (move.becomes, bool(methods))
                if len(moves) < MAX_MOVES and state not in seen:
                    seen.add(state)
                    queue.append((move.becomes, moves))
        return list(found.values())

    def moves(self, arn: str) -> list[Move]:
        """Every move `arn` can make on its own: the methods, then the roles it may assume."""
        if arn not in self._moves:
            caller = caller_for(self.snapshot, arn)
            out: list[Move] = []
            for method in (self._passrole, self._policy_versions, self._self_attach, self._trust_update,
                           self._other_credentials, self._group_membership, self._assume):
                out.extend(method(caller, arn))
            actor = arn
            for move in out:
                for s in move.steps:
                    s.actor = actor
            self._moves[arn] = out
        return self._moves[arn]

    # ------------------------------------------------------------ the moves
    def _roles(self) -> list[Any]:
        return [r for r in self.snapshot.iam.roles if "/aws-service-role/" not in r.arn]

    def _passrole(self, caller: Caller, arn: str) -> Iterator[Move]:
        roles = [r for r in self.candidates(caller, "iam:PassRole", self._roles()) if r.arn != arn]
        if not roles:
            return  # the compute questions are the costly part: ask them only of a passer
        runnable: dict[str, list[Step]] = {}
        for service, (_principal, actions) in PASSROLE_SERVICES.items():
            steps = [self.step(caller, a, "*") for a in actions]
            if all(steps):
                runnable[service] = [s for s in steps if s]
        for role in roles:
            passing = None
            for service, steps in runnable.items():
                if not self._trusts(role, PASSROLE_SERVICES[service][0]):
                    continue
                passing = passing or self.step(caller, "iam:PassRole", role.arn)
                if passing is None:
                    break
                yield Move("passrole-compute", f"PassRole + {service}", role.arn, [passing, *steps], role.arn)

    def _trusts(self, role: Any, service: str) -> bool:
        key = (role.arn, service)
        if key not in self._trust:
            try:
                policies = policy_set_for(self.snapshot, Caller.service(service), role.arn)
                self._trust[key] = evaluate(Request("sts:AssumeRole", role.arn, Caller.service(service), self.account),
                                            policies).allowed
            except AccessReadError:
                self._trust[key] = False
        return self._trust[key]

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

    def _policy_versions(self, caller: Caller, arn: str) -> Iterator[Move]:
        policies, _ = self._governing(arn)
        for policy in policies:
            for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"):
                step = self.step(caller, action, policy.arn)
                if step is not None:
                    yield Move("policy-version", action.split(":")[1], policy.arn, [step], None)

    def _self_attach(self, caller: Caller, arn: str) -> Iterator[Move]:
        _, groups = self._governing(arn)
        if ":user/" in arn:
            targets = [(a, arn) for a in ("iam:AttachUserPolicy", "iam:PutUserPolicy")]
        else:
            targets = [(a, arn) for a in ("iam:AttachRolePolicy", "iam:PutRolePolicy")]
        targets += [(a, g.arn) for g in groups for a in ("iam:AttachGroupPolicy", "iam:PutGroupPolicy")]
        for action, target in targets:
            step = self.step(caller, action, target)
            if step is not None:
                yield Move("self-attach", action.split(":")[1], target, [step], None)

    def _trust_update(self, caller: Caller, arn: str) -> Iterator[Move]:
        for role in self.candidates(caller, "iam:UpdateAssumeRolePolicy", self._roles()):
            if role.arn == arn:
                continue
            update = self.step(caller, "iam:UpdateAssumeRolePolicy", role.arn)
            if update is None:
                continue
            # after rewriting the trust policy only the caller's own side still has to allow the assume
            assume = self._identity_allows(caller, "sts:AssumeRole", role.arn)
            if assume is not None:
                yield Move("trust-update", "UpdateAssumeRolePolicy", role.arn, [update, assume], role.arn)

    def _identity_allows(self, caller: Caller, action: str, resource: str) -> Step | None:
        try:
            policies = policy_set_for(self.snapshot, caller, resource)
        except AccessReadError:
            return None
        own = PolicySet(identity=policies.identity, boundary=policies.boundary, scps=policies.scps)
        evaluation = evaluate(Request(action, resource, caller, self.account), own)
        if not evaluation.allowed:
            return None
        return Step(action, resource, [m.describe() for m in evaluation.deciding])

    def _other_credentials(self, caller: Caller, arn: str) -> Iterator[Move]:
        for action in ("iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"):
            for user in self.candidates(caller, action, self.snapshot.iam.users):
                if user.arn == arn:
                    continue
                step = self.step(caller, action, user.arn)
                if step is not None:
                    yield Move("other-credentials", action.split(":")[1], user.arn, [step], user.arn)

    def _group_membership(self, caller: Caller, arn: str) -> Iterator[Move]:
        if ":user/" not in arn:
            return
        _, groups = self._governing(arn)
        mine = {g.name for g in groups}
        for group in self.snapshot.iam.groups:
            if group.name in mine or not self.admin_group(group):
                continue
            step = self.step(caller, "iam:AddUserToGroup", group.arn)
            if step is not None:
                yield Move("group-membership", "AddUserToGroup", group.arn, [step], None)

    def _assume(self, caller: Caller, arn: str) -> Iterator[Move]:
        """The roles whose trust policy (with the caller's own policies) lets it in, now."""
        for role in self.candidates(caller, "sts:AssumeRole", self._roles()):
            if role.arn == arn:
                continue
            step = self.step(caller, "sts:AssumeRole", role.arn)
            if step is not None:
                yield Move(ASSUME, "AssumeRole", role.arn, [step], role.arn)


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


__all__ = ["FAMILIES", "MAX_MOVES", "Finder", "Move", "Path", "Step", "caller_text", "escalations", "principals"]
