from typing import Iterable

from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketAclsDisabled(BucketCheck):
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

    parts = ("ownership",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        rules = (bucket.ownership or {}).get("Rules") or []
        setting = rules[0].get("ObjectOwnership") if rules else None
        if setting == "BucketOwnerEnforced":
            yield subject.passed(f"Bucket {bucket.name} has ACLs disabled.")
        else:
            yield subject.failed(f"Bucket {bucket.name} still honours ACLs (Object Ownership: {setting or 'not set'}).",
                                 evidence={"pointer": "/OwnershipControls/Rules/0/ObjectOwnership", "value": setting})
