from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.snapshot import AccountSnapshot


class BucketAccessLogging(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "logging"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            target = (bucket.logging or {}).get("TargetBucket")
            if target:
                yield self.passed(bucket.arn, f"Bucket {bucket.name} logs access to {target}.", ids=bucket_ids(bucket))
            else:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} has server access logging off.", ids=bucket_ids(bucket))
