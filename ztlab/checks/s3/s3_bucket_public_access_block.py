from typing import Iterable

from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck, PAB_FLAGS, effective_block
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketPublicAccessBlock(BucketCheck):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_public_access_block",
        title="Every S3 bucket blocks public access (bucket or account setting)",
        service="s3",
        principle="least-privilege",
        severity="high",
        rationale="Block Public Access is a guardrail above policies and ACLs: with all four settings on, "
        "no later policy or ACL mistake can make the bucket public.",
        remediation=Remediation(
            cli="aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration "
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            console="S3 > the bucket > Permissions > Block public access (bucket settings) > Edit: tick 'Block all public access'.",
        ),
        controls=Controls(fsbp=("S3.8",), cis=("2.1.4",)),
    )

    parts = ("public_access_block",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        flags, source = effective_block(snapshot, bucket)
        off = [f for f in PAB_FLAGS if flags[f] is False]
        unknown = [f for f in PAB_FLAGS if flags[f] is None]
        if off:
            yield subject.failed(f"Bucket {bucket.name} does not block public access: {', '.join(off)} "
                                 "off at both bucket and account level.", evidence={"pointer": f"/PublicAccessBlockConfiguration/{off[0]}",
                                 "off": off})
        elif unknown:
            yield subject.unknown(f"{', '.join(unknown)} are off on bucket {bucket.name} and the account-level "
                                  f"setting could not be read: {snapshot.s3.unreadable('account_public_access_block')}")
        else:
            where = "account" if set(source.values()) == {"account"} else "bucket" if set(source.values()) == {"bucket"} else "bucket and account"
            yield subject.passed(f"Bucket {bucket.name} blocks all public access ({where} settings).")
