from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.snapshot import AccountSnapshot


class BucketVersioningEnabled(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_versioning_enabled",
        title="S3 buckets keep object versions",
        service="s3",
        principle="assume-breach",
        severity="low",
        rationale="Versioning keeps overwritten and deleted objects, so ransomware or a stolen key that "
        "deletes data can be undone. Add MFA delete or Object Lock for stronger protection.",
        remediation=Remediation(
            cli="aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled",
            console="S3 > the bucket > Properties > Bucket Versioning > Edit: Enable.",
        ),
        controls=Controls(fsbp=("S3.14",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "versioning"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            status = bucket.versioning.get("Status")
            if status == "Enabled":
                yield self.passed(bucket.arn, f"Bucket {bucket.name} keeps object versions.", ids=bucket_ids(bucket))
            else:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} does not keep versions (versioning {status or 'never enabled'}).",
                                  evidence={"pointer": "/Status", "value": status}, ids=bucket_ids(bucket))
