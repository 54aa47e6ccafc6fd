"""Every objective is about something: a role, a user, a bucket, a key. Before asking what that
subject may do, establish that it exists. A role that was deleted (or never re-created after a
sandbox reset) denies everything, so "report-builder cannot write" would pass vacuously; instead the
objective fails and says what is missing.
"""

from __future__ import annotations

from ztlab.snapshot import AccountSnapshot


def missing_subject(snapshot: AccountSnapshot, arn: str) -> str | None:
    """A learner-facing sentence when `arn` names a thing of this account that is not there, else None.
    ARNs of other accounts, services, anonymous callers and objects (not listed in a snapshot) pass."""
    if not arn.startswith("arn:"):
        return None
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None
    service, account, resource = parts[2], parts[4], parts[5]
    if account and account != snapshot.account_id:
        return None
    if service in ("iam", "sts"):
        kind, _, rest = resource.partition("/")
        name = rest.split("/")[0] if kind == "assumed-role" else rest.rsplit("/", 1)[-1]
        if kind in ("role", "assumed-role"):
            if snapshot.iam.unreadable("roles") or any(r.name == name for r in snapshot.iam.roles):
                return None
            return f"role {name} no longer exists in the account"
        if kind == "user":
            if snapshot.iam.unreadable("users") or snapshot.iam.user(name) is not None:
                return None
            return f"user {name} no longer exists in the account"
        if kind == "group":
            if snapshot.iam.unreadable("groups") or snapshot.iam.group(name) is not None:
                return None
            return f"group {name} no longer exists in the account"
        return None
    if service == "s3" and not account:
        bucket = resource.split("/", 1)[0]
        if not bucket or "*" in bucket or snapshot.s3.unreadable() or snapshot.s3.bucket(bucket) is not None:
            return None
        return f"bucket {bucket} no longer exists in the account"
    if service == "kms" and resource.startswith(("key/", "alias/")):
        if "*" in resource or snapshot.kms.unreadable() or snapshot.kms.find(resource) or snapshot.kms.find(arn):
            return None
        return f"KMS {resource.replace('/', ' ', 1)} no longer exists in the account"
    if service == "secretsmanager":
        if "*" in resource or snapshot.secretsmanager.unreadable() or any(s.get("ARN") == arn for s in snapshot.secretsmanager.secrets):
            return None
        return f"secret {resource.split(':', 1)[-1]} no longer exists in the account"
    return None


def first_missing(snapshot: AccountSnapshot, arns: list[str]) -> str | None:
    for arn in dict.fromkeys(arns):
        message = missing_subject(snapshot, arn)
        if message:
            return message
    return None


def missing_message(what: str) -> str:
    return (f"Nothing to judge: {what}. The objective is about it, so it cannot pass without it; "
            "`ztlab lab reset` brings the lab's resources back.")
