from typing import Iterable

from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketAccessLogging(BucketCheck):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_access_logging",
        title="S3 buckets record server access logs",
        service="s3",
        principle="continuous-monitoring",
        severity="low",
        rationale="Access logs record every request to the bucket, including the object-level reads that "
        "CloudTrail leaves out by default, which is what an investigation needs after a leak.",
        remediation=Remediation(
            cli="aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status "
            "'{\"LoggingEnabled\":{\"TargetBucket\":\"<log-bucket>\",\"TargetPrefix\":\"<bucket>/\"}}'",
            console="S3 > the bucket > Properties > Server access logging > Edit: Enable and choose a log bucket.",
        ),
        controls=Controls(fsbp=("S3.9",)),
    )

    parts = ("logging",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        target = (bucket.logging or {}).get("TargetBucket")
        if target:
            yield subject.passed(f"Bucket {bucket.name} logs access to {target}.")
        else:
            yield subject.failed(f"Bucket {bucket.name} has server access logging off.")
