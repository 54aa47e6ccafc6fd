from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.snapshot import AccountSnapshot


class BucketAclsDisabled(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_acls_disabled",
        title="S3 buckets disable ACLs (Object Ownership: bucket owner enforced)",
        service="s3",
        principle="least-privilege",
        severity="low",
        rationale="ACLs are a second, older permission system next to policies, per object and easy to miss. "
        "With BucketOwnerEnforced the bucket owner owns every object and only policies decide access.",
        remediation=Remediation(
            cli="aws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
            console="S3 > the bucket > Permissions > Object Ownership > Edit: 'ACLs disabled (recommended)'.",
        ),
        controls=Controls(fsbp=("S3.12",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "ownership"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            rules = (bucket.ownership or {}).get("Rules") or []
            setting = rules[0].get("ObjectOwnership") if rules else None
            if setting == "BucketOwnerEnforced":
                yield self.passed(bucket.arn, f"Bucket {bucket.name} has ACLs disabled.", ids=bucket_ids(bucket))
            else:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} still honours ACLs (Object Ownership: {setting or 'not set'}).",
                                  evidence={"pointer": "/OwnershipControls/Rules/0/ObjectOwnership", "value": setting}, ids=bucket_ids(bucket))
