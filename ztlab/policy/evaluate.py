"""One request against the policy layers AWS uses, with an explanation.

Order (IAM User Guide, "Policy evaluation logic"): an explicit Deny in any applicable policy
wins; every SCP level must allow; then, within one account, the resource-based policy and
the identity-based policies combine (union) while the permissions boundary and session
policies limit the identity side (intersection); across accounts both sides must allow.
A same-account resource policy that names the IAM user (or the role session itself) grants
directly, past the boundary and session policies; one that names the role is limited by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

from ztlab.policy.context import derived_context, normalise_context
from ztlab.policy.document import Policy
from ztlab.policy.principals import Caller, strongest

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]
Layer = Literal["identity", "resource", "boundary", "session", "scp"]


@dataclass(frozen=True, slots=True)
class MatchedStatement:
    layer: str
    policy_name: str
    index: int
    sid: str | None
    pointer: str
    effect: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    scp_level: int | None = None

    def describe(self) -> str:
        sid = f" ({self.sid})" if self.sid else ""
        where = f" line {self.line}" if self.line else ""
        return f"{self.effect} {self.layer}:{self.policy_name}{self.pointer}{sid}{where}"


@dataclass
class Request:
    action: str
    resource: str
    caller: Caller
    resource_owner: str | None = None
    context: Mapping[str, object] = field(default_factory=dict)

    def full_context(self) -> dict[str, list[str]]:
        """Derived keys overlaid by what the request states explicitly."""
        merged = derived_context(self.caller, self.resource, self.owner)
        merged.update(normalise_context(self.context))
        return merged

    @property
    def owner(self) -> str | None:
        owner = self.resource_owner
        if owner and owner.startswith("arn:"):
            parts = owner.split(":")
            owner = parts[4] if len(parts) > 4 and parts[4] else owner
        return owner or self.caller.account


@dataclass
class PolicySet:
    identity: list[Policy] = field(default_factory=list)
    resource: Policy | None = None
    boundary: Policy | None = None
    session: list[Policy] = field(default_factory=list)
    scps: list[list[Policy]] = field(default_factory=list)


@dataclass
class Evaluation:
    decision: Decision
    matched: list[MatchedStatement]
    missing_context: list[str]
    failed_layer: str | None
    request: Request | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allowed"

    @property
    def deciding(self) -> list[MatchedStatement]:
        """The statements that decided: the Denies for an explicit deny, else the Allows."""
        want = "Deny" if self.decision == "explicitDeny" else "Allow"
        return [m for m in self.matched if m.effect == want]

    def explain(self) -> str:
        if self.decision == "explicitDeny":
            head = "explicitly denied by " + "; ".join(m.describe() for m in self.deciding)
        elif self.decision == "allowed":
            head = "allowed by " + "; ".join(m.describe() for m in self.deciding)
        else:
            head = f"implicitly denied: no Allow in the {self.failed_layer} layer"
        if self.missing_context:
            head += f" (request lacked: {', '.join(self.missing_context)})"
        return head


class _Scan:
    __slots__ = ("allows", "deny", "matched", "missing")

    def __init__(self) -> None:
        self.allows: str | None = None  # strongest principal match among Allows (None = no Allow)
        self.deny = False
        self.matched: list[MatchedStatement] = []
        self.missing: list[str] = []


def _scan(policy: Policy, layer: str, action: str, resource: str, caller: Caller,
          context: dict[str, list[str]], out: _Scan, *, has_boundary: bool = False,
          scp_level: int | None = None) -> bool:
    """Add this policy's matching statements to `out`; True when one of them allows."""
    allowed = False
    for st in policy.statements:
        if not st.matches_action(action):
            continue
        kind = st.principal_match(caller)
        if kind is None:
            # AWS: a Deny with NotPrincipal always denies a principal that has a boundary
            if not (has_boundary and st.not_principal is not None and st.effect == "Deny"
                    and caller.principal_type in ("User", "Role", "AssumedRole")):
                continue
            kind = "any"
        missing: list[str] = []
        if not st.matches_resource(resource, context, missing):
            out.missing.extend(missing)
            continue
        holds = st.conditions_hold(context, missing)
        out.missing.extend(missing)
        if not holds:
            continue
        start = policy.position(st.pointer)
        end = policy.end_position(st.pointer)
        out.matched.append(MatchedStatement(
            layer, policy.name, st.index, st.sid, st.pointer, st.effect,
            start[0] if start else None, start[1] if start else None,
            end[0] if end else None, end[1] if end else None, scp_level))
        if st.effect == "Deny":
            out.deny = True
        else:
            allowed = True
            out.allows = strongest(out.allows, kind) if out.allows else kind
    return allowed


def evaluate(request: Request, policies: PolicySet) -> Evaluation:
    caller = request.caller
    action = request.action.lower()
    resource = request.resource
    context = request.full_context()
    iam = caller.is_iam_principal
    is_root = caller.principal_type == "Account"

    layers: dict[str, _Scan] = {}

    def scan_many(layer: str, policies_: list[Policy], **kw) -> _Scan:
        s = layers.setdefault(layer, _Scan())
        for p in policies_:
            _scan(p, layer, action, resource, caller, context, s, **kw)
        return s

    identity = scan_many("identity", policies.identity if iam else [])
    resource_scan = scan_many("resource", [policies.resource] if policies.resource else [],
                              has_boundary=iam and policies.boundary is not None)
    boundary = scan_many("boundary", [policies.boundary] if (iam and not is_root and policies.boundary) else [])
    session = scan_many("session", policies.session if iam else [])
    scp_levels: list[bool] = []
    scp = layers.setdefault("scp", _Scan())
    if iam:
        for level_no, level in enumerate(policies.scps):
            level_allows = False
            for p in level:
                level_allows |= _scan(p, "scp", action, resource, caller, context, scp, scp_level=level_no)
            scp_levels.append(level_allows)

    matched = [m for s in layers.values() for m in s.matched]
    missing = list(dict.fromkeys(k for s in layers.values() for k in s.missing))

    def result(decision: Decision, failed: str | None) -> Evaluation:
        return Evaluation(decision, matched, missing, failed, request)

    for name in ("scp", "boundary", "session", "identity", "resource"):
        if layers[name].deny:
            return result("explicitDeny", name)
    if not all(scp_levels):
        return result("implicitDeny", "scp")

    granted_by_resource = resource_scan.allows
    if not iam:  # anonymous, AWS services, federated users before a role, canonical users
        return result("allowed", None) if granted_by_resource else result("implicitDeny", "resource")

    same_account = request.owner == caller.account
    identity_allows = is_root or identity.allows is not None
    within_boundary = is_root or policies.boundary is None or boundary.allows is not None
    within_session = not policies.session or session.allows is not None

    if same_account:
        if granted_by_resource in ("any", "direct"):
            return result("allowed", None)
        if not (identity_allows or granted_by_resource == "role"):
            return result("implicitDeny", "identity")
    else:
        if granted_by_resource is None:
            failed = "resource" if identity_allows else "identity"
            return result("implicitDeny", failed)
        if not identity_allows:
            return result("implicitDeny", "identity")
    if not within_boundary:
        return result("implicitDeny", "boundary")
    if not within_session:
        return result("implicitDeny", "session")
    return result("allowed", None)
