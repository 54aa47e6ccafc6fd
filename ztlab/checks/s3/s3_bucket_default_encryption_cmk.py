from typing import Iterable

from ztlab.checks._helpers import cmk_verdict
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.snapshot import AccountSnapshot


class BucketDefaultEncryptionCmk(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_default_encryption_cmk",
        title="S3 buckets encrypt new objects by default with a customer managed KMS key",
        service="s3",
        principle="encrypt-everything",
        severity="medium",
        rationale="SSE-KMS with your own key means reading an object also needs kms:Decrypt on a key whose "
        "policy you write and whose every use CloudTrail records. SSE-S3 or the aws/s3 key gives no such control.",
        remediation=Remediation(
            cli="aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
            "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"<cmk-arn>\"},\"BucketKeyEnabled\":true}]}'",
            console="S3 > the bucket > Properties > Default encryption > Edit: SSE-KMS, 'Choose from your AWS KMS keys', "
            "pick your customer managed key, enable Bucket Key.",
        ),
        controls=Controls(fsbp=("S3.17",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "encryption"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            rules = (bucket.encryption or {}).get("Rules") or []
            default = next(((i, (r.get("ApplyServerSideEncryptionByDefault") or {})) for i, r in enumerate(rules)
                            if r.get("ApplyServerSideEncryptionByDefault")), None)
            ids = bucket_ids(bucket)
            if default is None:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} has no default encryption.", ids=ids)
                continue
            i, sse = default
            algorithm = sse.get("SSEAlgorithm", "")
            pointer = f"/Rules/{i}/ApplyServerSideEncryptionByDefault"
            if not algorithm.startswith("aws:kms"):
                yield self.failed(bucket.arn, f"Bucket {bucket.name} encrypts with {algorithm or 'nothing'} (S3-managed keys), "
                                  "not a customer managed KMS key.", evidence={"pointer": pointer + "/SSEAlgorithm", "value": algorithm}, ids=ids)
                continue
            verdict, why = cmk_verdict(snapshot, sse.get("KMSMasterKeyID"), "s3")
            if verdict is None:
                yield self.unknown(bucket.arn, why, ids=ids)
            elif verdict:
                yield self.passed(bucket.arn, f"Bucket {bucket.name} encrypts new objects with {why}.", ids=ids)
            else:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} uses SSE-KMS but {why}.",
                                  evidence={"pointer": pointer + "/KMSMasterKeyID", "value": sse.get("KMSMasterKeyID")}, ids=ids)
