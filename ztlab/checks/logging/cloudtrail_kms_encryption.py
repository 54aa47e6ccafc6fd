from ztlab.checks.base import Subject
from ztlab.checks.logging._trails import TrailCheck
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, Trail


class CloudTrailKmsEncryption(TrailCheck):
    sections = ("cloudtrail",)
    metadata = CheckMetadata(
        id="cloudtrail_kms_encryption",
        title="CloudTrail trails encrypt logs with a KMS key",
        service="cloudtrail",
        principle="encrypt-everything",
        severity="medium",
        rationale="Logs describe your whole account. SSE-KMS makes reading them need kms:Decrypt on a key you "
        "control, so access to the log bucket alone is not enough.",
        remediation=Remediation(
            cli="aws cloudtrail update-trail --name <trail> --kms-key-id <cmk-arn>  (the key policy must allow "
            "cloudtrail.amazonaws.com to GenerateDataKey*)",
            console="CloudTrail > Trails > the trail > General details > Edit: Log file SSE-KMS encryption Enabled, choose the key.",
        ),
        controls=Controls(fsbp=("CloudTrail.2",), cis=("3.5",)),
    )

    def judge(self, snapshot: AccountSnapshot, trail: Trail, subject: Subject) -> Finding:
        name, key = trail.trail.get("Name"), trail.trail.get("KmsKeyId")
        if key:
            return subject.passed(f"Trail {name} encrypts its logs with {key}.")
        return subject.failed(f"Trail {name} does not encrypt its logs with a KMS key.", evidence={"pointer": "/KmsKeyId", "value": None})
