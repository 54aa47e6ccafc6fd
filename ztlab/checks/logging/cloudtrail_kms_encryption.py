from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import trail_arn, trail_ids
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CloudTrailKmsEncryption(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.cloudtrail.trails:
            yield self.failed(snapshot.account_arn, "The account has no CloudTrail trail.", ids=[snapshot.account_id])
        for trail in snapshot.cloudtrail.trails:
            name, key = trail.trail.get("Name"), trail.trail.get("KmsKeyId")
            if key:
                yield self.passed(trail_arn(trail), f"Trail {name} encrypts its logs with {key}.", ids=trail_ids(trail))
            else:
                yield self.failed(trail_arn(trail), f"Trail {name} does not encrypt its logs with a KMS key.",
                                  evidence={"pointer": "/KmsKeyId", "value": None}, ids=trail_ids(trail))
