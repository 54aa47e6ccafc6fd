from typing import Iterable

from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketVersioningEnabled(BucketCheck):
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

    parts = ("versioning",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        status = bucket.versioning.get("Status")
        if status == "Enabled":
            yield subject.passed(f"Bucket {bucket.name} keeps object versions.")
        else:
            yield subject.failed(f"Bucket {bucket.name} does not keep versions (versioning {status or 'never enabled'}).",
                                 evidence={"pointer": "/Status", "value": status})
