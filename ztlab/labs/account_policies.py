"""Gather, from a snapshot, every policy AWS would consult for one request.

The policy engine decides; this module only finds the documents: the caller's identity policies
(inline, attached, and its groups'), its permissions boundary, the resource's own policy (bucket,
key, trust, topic or secret policy) and the organisation's SCPs level by level.
"""

from __future__ import annotations

import json
from typing import Any

from ztlab.policy import Caller, Policy, PolicySet, parse_policy
from ztlab.snapshot import AccountSnapshot


class PolicyReadError(Exception):
    """A stored policy the engine cannot parse; names the policy and where it is broken."""


def _parse(document: Any, name: str) -> Policy:
    from ztlab.policy import PolicyError

    try:
        return parse_policy(document if not isinstance(document, str) else document, name=name)
    except PolicyError as exc:
        raise PolicyReadError(f"{name}: {exc}") from None


def _managed(snapshot: AccountSnapshot, arn: str) -> Policy | None:
    policy = snapshot.iam.policy(arn)
    if policy is None or policy.document is None:
        return None
    return _parse(policy.document, f"managed policy {policy.name}")


def identity_policies(snapshot: AccountSnapshot, caller_arn: str) -> tuple[list[Policy], Policy | None]:
    """(identity policies, permissions boundary) for a user, role or role session of this account."""
    iam = snapshot.iam
    kind, name = _entity(caller_arn)
    policies: list[Policy] = []
    boundary_arn = None
    if kind == "user":
        user = iam.user(name)
        if user is None:
            return [], None
        holders = [user] + [g for g in (iam.group(n) for n in user.groups) if g is not None]
        boundary_arn = user.permissions_boundary
    elif kind == "role":
        role = next((r for r in iam.roles if r.name == name), None)
        if role is None:
            return [], None
        holders = [role]
        boundary_arn = role.permissions_boundary
    else:
        return [], None
    for holder in holders:
        label = f"{type(holder).__name__.removeprefix('Iam').lower()} {holder.name}"
        for policy_name, document in holder.inline_policies.items():
            policies.append(_parse(document, f"{label} inline policy {policy_name}"))
        for attached in holder.attached_policies:
            managed = _managed(snapshot, attached.arn)
            if managed is not None:
                policies.append(managed)
    boundary = _managed(snapshot, boundary_arn) if boundary_arn else None
    return policies, boundary


def resource_policy(snapshot: AccountSnapshot, resource_arn: str) -> Policy | None:
    """The resource-based policy guarding an ARN, if the resource has one."""
    parts = resource_arn.split(":", 5)
    if len(parts) < 6:
        return None
    service, resource = parts[2], parts[5]
    if service == "s3":
        bucket = snapshot.s3.bucket(resource.split("/", 1)[0])
        if bucket and bucket.policy:
            return _parse(bucket.policy, f"bucket policy of {bucket.name}")
    elif service == "kms":
        key = snapshot.kms.find(resource.split("/", 1)[-1]) or snapshot.kms.find(resource_arn)
        if key and key.policy:
            return _parse(key.policy, f"key policy of {key.key_id}")
    elif service == "iam" and resource.startswith("role/"):
        name = resource.rsplit("/", 1)[-1]
        role = next((r for r in snapshot.iam.roles if r.name == name), None)
        if role and role.trust_policy:
            return _parse(role.trust_policy, f"trust policy of role {role.name}")
    elif service == "sns":
        topic = next((t for t in snapshot.sns.topics if t.arn == resource_arn), None)
        if topic and topic.attributes.get("Policy"):
            return _parse(topic.attributes["Policy"], f"topic policy of {resource_arn}")
    elif service == "secretsmanager":
        secret = next((s for s in snapshot.secretsmanager.secrets if s.get("ARN") == resource_arn), None)
        unreadable = ((secret or {}).get("ztlabErrors") or {}).get("resource_policy")
        if unreadable:
            raise PolicyReadError(f"the resource policy of secret {secret.get('Name')} could not be read: {unreadable}")
        if secret and secret.get("ResourcePolicy"):
            return _parse(secret["ResourcePolicy"], f"resource policy of secret {secret.get('Name')}")
    return None


def scp_levels(snapshot: AccountSnapshot, account_id: str | None = None) -> list[list[Policy]]:
    """SCPs from the root down to an account (default: the snapshot's own); every level must allow.
    SCPs never restrict the management account."""
    orgs = snapshot.organizations
    account_id = account_id or snapshot.account_id
    if not orgs.organization or account_id == orgs.organization.get("MasterAccountId"):
        return []
    path = orgs.account_paths.get(account_id) or (orgs.account_path if account_id == snapshot.account_id else [])
    if not path:
        return []
    levels: list[list[Policy]] = []
    for target in path:
        level = []
        for entry in orgs.policies:
            summary = entry.get("PolicySummary", {})
            if summary.get("Type", "SERVICE_CONTROL_POLICY") != "SERVICE_CONTROL_POLICY":
                continue
            if any(t.get("TargetId") == target for t in entry.get("Targets", [])):
                content = entry.get("Content")
                document = json.loads(content) if isinstance(content, str) else content
                level.append(_parse(document, f"SCP {summary.get('Name', summary.get('Id', '?'))} on {target}"))
        levels.append(level)
    return levels


def _entity(arn: str) -> tuple[str, str]:
    """('user'|'role'|'', name) from a user, role or assumed-role ARN."""
    resource = arn.split(":", 5)[-1]
    if resource.startswith("user/"):
        return "user", resource.rsplit("/", 1)[-1]
    if resource.startswith("role/"):
        return "role", resource.rsplit("/", 1)[-1]
    if resource.startswith("assumed-role/"):
        return "role", resource.split("/")[1]
    return "", ""


def caller_for(snapshot: AccountSnapshot, principal_arn: str) -> Caller:
    """The caller as AWS sees it: a role acts through a session, so role ARNs become session ARNs.
    `*` (or `anonymous`) is an unauthenticated caller; `<name>.amazonaws.com` is an AWS service."""
    if principal_arn.strip().lower() in ("*", "anonymous"):
        return Caller.anonymous()
    if principal_arn.strip().endswith(".amazonaws.com") and not principal_arn.startswith("arn:"):
        return Caller.service(principal_arn.strip())
    kind, name = _entity(principal_arn)
    account = principal_arn.split(":")[4] if principal_arn.startswith("arn:") else ""
    tags: dict[str, str] = {}
    if kind == "role":
        role = next((r for r in snapshot.iam.roles if r.name == name), None)
        tags = dict(role.tags) if role else {}
        if ":role/" in principal_arn:
            principal_arn = f"arn:aws:sts::{account}:assumed-role/{name}/ztlab-session"
    elif kind == "user":
        user = snapshot.iam.user(name)
        tags = dict(user.tags) if user else {}
    return Caller.from_arn(principal_arn, tags=tags or None)


# Another account's own policies are not in our snapshot. The question a lab asks about such a caller
# is whether OUR resource policy lets them in, so we grant them everything on their side.
_FOREIGN_SIDE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def policy_set_for(snapshot: AccountSnapshot, caller: Caller, resource_arn: str, session: list[Policy] | None = None,
                   scp_account: str | None = None) -> PolicySet:
    if scp_account:
        # A member account's administrator: its own policies allow everything, so only the SCPs decide.
        return PolicySet(identity=[parse_policy(_FOREIGN_SIDE, name=f"account {scp_account}'s administrator policy (allows everything)")],
                         session=session or [], scps=scp_levels(snapshot, scp_account))
    identity, boundary = ([], None)
    if caller.account == snapshot.account_id:
        identity, boundary = identity_policies(snapshot, caller.arn)
    elif caller.account:
        identity = [parse_policy(_FOREIGN_SIDE, name=f"account {caller.account}'s own policies (assumed to allow)")]
    return PolicySet(
        identity=identity,
        resource=resource_policy(snapshot, resource_arn),
        boundary=boundary,
        session=session or [],
        scps=scp_levels(snapshot) if caller.account == snapshot.account_id else [],
    )
