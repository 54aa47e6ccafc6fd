"""Every policy AWS consults for one request, gathered from a snapshot.

The engine decides; this module only finds documents: the caller's identity policies (inline and
attached, its own and its groups'), its permissions boundary, the organisation's SCPs and RCPs
level by level, and the resource's own policy. A document that should be there and cannot be used
raises AccessReadError: a missing group or managed policy is never read as "no permissions".
"""

from __future__ import annotations

from typing import Any, Union

from ztlab.access.callers import entity, role_named
from ztlab.access.documents import AccessReadError, allow_everything, load_policy, managed_policy
from ztlab.policy import Caller, Policy, PolicySet
from ztlab.snapshot import AccountSnapshot
from ztlab.snapshot.model import IamRole, IamUser

Principal = Union[IamUser, IamRole, str]  # a snapshot entity, or a user / role / role-session ARN

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"


def _entity(snapshot: AccountSnapshot, principal: Principal) -> IamUser | IamRole | None:
    if not isinstance(principal, str):
        return principal
    kind, name = entity(principal)
    if kind == "user":
        return snapshot.iam.user(name)
    if kind == "role":
        return role_named(snapshot, name)
    return None


def identity_policies(snapshot: AccountSnapshot, principal: Principal) -> list[Policy]:
    """A user's or role's identity policies, its groups' included. Empty for a principal that is
    not in the snapshot (it holds nothing here); AccessReadError for one that cannot be read."""
    holder = _entity(snapshot, principal)
    if holder is None:
        return []
    holders: list[Any] = [holder]
    kind = "user" if isinstance(holder, IamUser) else "role"
    for name in getattr(holder, "groups", None) or []:
        group = snapshot.iam.group(name)
        if group is None:
            raise AccessReadError(f"group {name} of user {holder.name} is not in the snapshot")
        holders.append(group)
    policies: list[Policy] = []
    for item in holders:
        label = kind if item is holder else "group"
        for attached in item.attached_policies:
            policies.append(managed_policy(snapshot, attached.arn))
        for name, document in item.inline_policies.items():
            policies.append(load_policy(document, f"inline policy {name} of {label} {item.name}", "identity"))
    return policies


def boundary_policy(snapshot: AccountSnapshot, principal: Principal) -> Policy | None:
    """The permissions boundary of a user or role, or None when it has none."""
    holder = _entity(snapshot, principal)
    arn = getattr(holder, "permissions_boundary", None)
    if not arn:
        return None
    try:
        return managed_policy(snapshot, arn, "boundary")
    except AccessReadError as exc:
        raise AccessReadError(f"permissions boundary of {holder.name}: {exc}") from None  # type: ignore[union-attr]


def organization_path(snapshot: AccountSnapshot, account_id: str | None = None) -> list[str]:
    """Root id, OU ids..., account id: where an account sits. Empty outside an organisation, and for
    the management account, which no SCP or RCP restricts (AWS Organizations User Guide)."""
    org = snapshot.organizations
    account_id = account_id or snapshot.account_id
    if org.organization is None or org.error:
        return []
    if account_id == org.organization.get("MasterAccountId"):
        return []
    if account_id == snapshot.account_id:
        return list(org.account_path or org.account_paths.get(account_id) or [])
    return list(org.account_paths.get(account_id) or [])


def scp_levels(snapshot: AccountSnapshot, account_id: str | None = None) -> list[list[Policy]]:
    """The SCPs that limit an account's principals (default: the snapshot's own account), one list
    per level from the root down; every level must allow. [] for the management account."""
    return policy_levels(snapshot, organization_path(snapshot, account_id), SCP)


def rcp_levels(snapshot: AccountSnapshot, account_id: str | None = None) -> list[list[Policy]]:
    """The RCPs that limit access to an account's resources, one list per level; [] for the
    management account, whose resources RCPs do not restrict."""
    return policy_levels(snapshot, organization_path(snapshot, account_id), RCP)


def policy_levels(snapshot: AccountSnapshot, path: list[str], policy_type: str = SCP) -> list[list[Policy]]:
    """Organisation policies of one type attached to each node of `path` (root, OUs..., account).

    Public for the guardrail question "what would an account at this place be limited by?", which
    asks about a position rather than the snapshot's own account."""
    org = snapshot.organizations
    kind = "scp" if policy_type == SCP else "rcp"
    levels: list[list[Policy]] = []
    for node in path:
        level = []
        for entry in org.policies:
            summary = entry.get("PolicySummary") or {}
            if summary.get("Type", SCP) != policy_type:
                continue
            if not any(t.get("TargetId") == node for t in entry.get("Targets") or []):
                continue
            name = f"{kind.upper()} {summary.get('Name') or summary.get('Id', '?')}"
            why = (entry.get("ztlabErrors") or {}).get("content")
            if why:
                raise AccessReadError(f"{name} could not be read: {why}")
            level.append(load_policy(entry.get("Content"), name, kind))
        levels.append(level)
    return levels


def resource_policy(snapshot: AccountSnapshot, resource_arn: str) -> Policy | None:
    """The resource-based policy guarding an ARN (bucket, key, role trust, topic, secret), if any."""
    parts = resource_arn.split(":", 5)
    if len(parts) < 6:
        return None
    service, resource = parts[2], parts[5]
    if service == "s3":
        bucket = snapshot.s3.bucket(resource.split("/", 1)[0])
        if bucket is None:
            return None
        why = bucket.errors.get("policy")
        if why:
            raise AccessReadError(f"the policy of bucket {bucket.name} could not be read: {why}")
        return load_policy(bucket.policy, f"bucket policy of {bucket.name}", "resource") if bucket.policy else None
    if service == "kms":
        key = snapshot.kms.find(resource.split("/", 1)[-1]) or snapshot.kms.find(resource_arn)
        if key is None:
            return None
        why = key.errors.get("policy")
        if why:
            raise AccessReadError(f"the policy of key {key.key_id} could not be read: {why}")
        return load_policy(key.policy, f"key policy of {key.key_id}", "resource") if key.policy else None
    if service == "iam" and resource.startswith("role/"):
        role = role_named(snapshot, resource.rsplit("/", 1)[-1])
        if role and role.trust_policy:
            return load_policy(role.trust_policy, f"trust policy of role {role.name}", "resource")
        return None
    if service == "sns":
        topic = next((t for t in snapshot.sns.topics if t.arn == resource_arn), None)
        if topic and topic.attributes.get("Policy"):
            return load_policy(topic.attributes["Policy"], f"topic policy of {resource_arn}", "resource")
        return None
    if service == "secretsmanager":
        secret = next((s for s in snapshot.secretsmanager.secrets if s.get("ARN") == resource_arn), None)
        if secret is None:
            return None
        why = (secret.get("ztlabErrors") or {}).get("resource_policy")
        if why:
            raise AccessReadError(f"the resource policy of secret {secret.get('Name')} could not be read: {why}")
        if secret.get("ResourcePolicy"):
            return load_policy(secret["ResourcePolicy"], f"resource policy of secret {secret.get('Name')}", "resource")
    return None


def policy_set_for(snapshot: AccountSnapshot, caller: Caller, resource_arn: str, *,
                   session: list[Policy] | None = None, scp_account: str | None = None) -> PolicySet:
    """Everything AWS consults when `caller` acts on `resource_arn` in the snapshot's account.

    A caller of another account holds everything on its side (its policies are not ours to see; the
    question is what our resource policy lets through). With `scp_account`, the caller is that
    member account's administrator: its own side allows everything, so only the SCPs decide.
    """
    if scp_account:
        return PolicySet(identity=[allow_everything(f"account {scp_account}'s administrator policy (allows everything)")],
                         session=session or [], scps=scp_levels(snapshot, scp_account))
    identity: list[Policy] = []
    boundary = None
    ours = caller.account == snapshot.account_id
    if ours:
        identity = identity_policies(snapshot, caller.arn or "")
        boundary = boundary_policy(snapshot, caller.arn or "")
    elif caller.account:
        identity = [allow_everything(f"account {caller.account}'s own policies (assumed to allow)")]
    return PolicySet(
        identity=identity,
        resource=resource_policy(snapshot, resource_arn),
        boundary=boundary,
        session=session or [],
        scps=scp_levels(snapshot) if ours else [],
        rcps=rcp_levels(snapshot) if _owner(resource_arn, snapshot) == snapshot.account_id else [],
    )


def _owner(resource_arn: str, snapshot: AccountSnapshot) -> str:
    parts = resource_arn.split(":", 5)
    if len(parts) < 6:
        return snapshot.account_id
    return parts[4] or snapshot.account_id  # S3 ARNs carry no account: the bucket is ours if we hold it
