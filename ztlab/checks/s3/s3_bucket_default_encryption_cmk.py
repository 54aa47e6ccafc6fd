from typing import Iterable

from ztlab.checks._helpers import cmk_verdict
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketDefaultEncryptionCmk(BucketCheck):
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

    parts = ("encryption",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        rules = (bucket.encryption or {}).get("Rules") or []
        default = next(((i, (r.get("ApplyServerSideEncryptionByDefault") or {})) for i, r in enumerate(rules)
                        if r.get("ApplyServerSideEncryptionByDefault")), None)
        if default is None:
            yield subject.failed(f"Bucket {bucket.name} has no default encryption.")
            return
        i, sse = default
        algorithm = sse.get("SSEAlgorithm", "")
        pointer = f"/Rules/{i}/ApplyServerSideEncryptionByDefault"
        if not algorithm.startswith("aws:kms"):
            yield subject.failed(f"Bucket {bucket.name} encrypts with {algorithm or 'nothing'} (S3-managed keys), "
                                 "not a customer managed KMS key.", evidence={"pointer": pointer + "/SSEAlgorithm", "value": algorithm})
            return
        verdict, why = cmk_verdict(snapshot, sse.get("KMSMasterKeyID"), "s3")
        if verdict is None:
            yield subject.unknown(why)
        elif verdict:
            yield subject.passed(f"Bucket {bucket.name} encrypts new objects with {why}.")
        else:
            yield subject.failed(f"Bucket {bucket.name} uses SSE-KMS but {why}.",
                                 evidence={"pointer": pointer + "/KMSMasterKeyID", "value": sse.get("KMSMasterKeyID")})
