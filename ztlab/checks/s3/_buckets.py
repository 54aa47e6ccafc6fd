"""What S3 checks share: the per-bucket check, per-part UNKNOWNs, effective public access block."""

from __future__ import annotations

from typing import Any, ClassVar, Iterable

from ztlab.checks.base import ResourceCheck
from ztlab.snapshot import AccountSnapshot, S3Bucket

PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "everyone (AllUsers)",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "any AWS account (AuthenticatedUsers)",
}


def bucket_ids(bucket: S3Bucket) -> list[str]:
    return [bucket.name]


class BucketCheck(ResourceCheck):
    """A question about each bucket; `parts` are the bucket attributes judge() reads."""

    empty_message = "The account has no S3 buckets."
    parts: ClassVar[tuple[str, ...]] = ()

    def resources(self, snapshot: AccountSnapshot) -> Iterable[S3Bucket]:
        return snapshot.s3.buckets

    def names(self, snapshot: AccountSnapshot, bucket: S3Bucket) -> tuple[str, list[str]]:
        return bucket.arn, bucket_ids(bucket)

    def unread(self, snapshot: AccountSnapshot, bucket: S3Bucket) -> str | None:
        for part in self.parts:
            if part in bucket.errors:
                return f"the {part.replace('_', ' ')} of bucket {bucket.name} could not be read: {bucket.errors[part]}"
        return None


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
