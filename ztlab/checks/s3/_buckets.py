"""What S3 checks share: iterating buckets, per-part UNKNOWNs, effective public access block."""

from __future__ import annotations

from typing import Any, Iterator

from ztlab.checks.base import Check
from ztlab.checks.model import Finding
from ztlab.snapshot import AccountSnapshot, S3Bucket

PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "everyone (AllUsers)",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "any AWS account (AuthenticatedUsers)",
}


def bucket_ids(bucket: S3Bucket) -> list[str]:
    return [bucket.name]


def buckets(check: Check, snapshot: AccountSnapshot, *parts: str) -> Iterator[S3Bucket | Finding]:
    """Yield each bucket whose `parts` were read, or an UNKNOWN finding for one that was not."""
    if not snapshot.s3.buckets:
        yield check.account_not_applicable(snapshot, "The account has no S3 buckets.")
    for bucket in snapshot.s3.buckets:
        missing = [(p, bucket.errors[p]) for p in parts if p in bucket.errors]
        if missing:
            part, why = missing[0]
            yield check.unknown(bucket.arn, f"the {part.replace('_', ' ')} of bucket {bucket.name} could not be read: {why}",
                                ids=bucket_ids(bucket))
        else:
            yield bucket


def effective_block(snapshot: AccountSnapshot, bucket: S3Bucket) -> tuple[dict[str, bool | None], dict[str, str]]:
    """Each block-public-access flag as S3 applies it (bucket OR account), and where each true came from.

    A flag is None when it is off at bucket level and the account-level setting could not be read.
    """
    account_unreadable = snapshot.s3.unreadable("account_public_access_block")
    account = snapshot.s3.account_public_access_block or {}
    mine = bucket.public_access_block or {}
    flags: dict[str, bool | None] = {}
    source: dict[str, str] = {}
    for flag in PAB_FLAGS:
        if mine.get(flag):
            flags[flag], source[flag] = True, "bucket"
        elif account.get(flag):
            flags[flag], source[flag] = True, "account"
        else:
            flags[flag] = None if account_unreadable else False
    return flags, source


def public_acl_grants(acl: dict[str, Any] | None) -> list[tuple[int, str, str]]:
    """(index, grantee, permission) for each ACL grant to everyone or to any AWS account."""
    out = []
    for i, grant in enumerate((acl or {}).get("Grants") or []):
        uri = (grant.get("Grantee") or {}).get("URI")
        if uri in PUBLIC_GROUPS:
            out.append((i, PUBLIC_GROUPS[uri], grant.get("Permission", "")))
    return out
