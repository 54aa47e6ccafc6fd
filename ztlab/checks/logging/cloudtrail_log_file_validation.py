from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import trail_arn, trail_ids
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CloudTrailLogFileValidation(Check):
    sections = ("cloudtrail",)
    metadata = CheckMetadata(
        id="cloudtrail_log_file_validation",
        title="CloudTrail trails validate their log files",
        service="cloudtrail",
        principle="assume-breach",
        severity="medium",
        rationale="An intruder's first cleanup is the logs. Digest files signed by CloudTrail prove whether "
        "a log file was changed or deleted after delivery.",
        remediation=Remediation(
            cli="aws cloudtrail update-trail --name <trail> --enable-log-file-validation",
            console="CloudTrail > Trails > the trail > General details > Edit: tick 'Log file validation'.",
        ),
        controls=Controls(fsbp=("CloudTrail.4",), cis=("3.2",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.cloudtrail.trails:
            yield self.failed(snapshot.account_arn, "The account has no CloudTrail trail, so no log file is validated.", ids=[snapshot.account_id])
        for trail in snapshot.cloudtrail.trails:
            name = trail.trail.get("Name")
            if trail.trail.get("LogFileValidationEnabled"):
                yield self.passed(trail_arn(trail), f"Trail {name} validates its log files.", ids=trail_ids(trail))
            else:
                yield self.failed(trail_arn(trail), f"Trail {name} does not validate its log files: tampering would go unnoticed.",
                                  evidence={"pointer": "/LogFileValidationEnabled", "value": False}, ids=trail_ids(trail))
