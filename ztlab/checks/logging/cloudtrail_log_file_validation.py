from ztlab.checks.base import Subject
from ztlab.checks.logging._trails import TrailCheck
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, Trail


class CloudTrailLogFileValidation(TrailCheck):
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

    empty_message = "The account has no CloudTrail trail, so no log file is validated."

    def judge(self, snapshot: AccountSnapshot, trail: Trail, subject: Subject) -> Finding:
        name = trail.trail.get("Name")
        if trail.trail.get("LogFileValidationEnabled"):
            return subject.passed(f"Trail {name} validates its log files.")
        return subject.failed(f"Trail {name} does not validate its log files: tampering would go unnoticed.",
                              evidence={"pointer": "/LogFileValidationEnabled", "value": False})
