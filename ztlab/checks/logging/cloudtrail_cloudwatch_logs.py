from ztlab.checks.base import Subject
from ztlab.checks.logging._trails import TrailCheck
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, Trail


class CloudTrailCloudWatchLogs(TrailCheck):
    sections = ("cloudtrail",)
    metadata = CheckMetadata(
        id="cloudtrail_cloudwatch_logs",
        title="CloudTrail trails deliver to CloudWatch Logs",
        service="cloudtrail",
        principle="continuous-monitoring",
        severity="low",
        rationale="Logs in S3 are for later; logs in CloudWatch Logs can drive metric filters and alarms in "
        "minutes (root sign-in, denied calls, policy changes).",
        remediation=Remediation(
            cli="aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn> "
            "--cloud-watch-logs-role-arn <role-arn>",
            console="CloudTrail > Trails > the trail > CloudWatch Logs > Edit: Enabled, choose a log group and role.",
        ),
        controls=Controls(fsbp=("CloudTrail.5",), cis=("3.4",)),
    )

    def judge(self, snapshot: AccountSnapshot, trail: Trail, subject: Subject) -> Finding:
        name, group = trail.trail.get("Name"), trail.trail.get("CloudWatchLogsLogGroupArn")
        if group:
            return subject.passed(f"Trail {name} delivers to {group}.")
        return subject.failed(f"Trail {name} does not deliver to CloudWatch Logs, so nothing can alarm on it.",
                              evidence={"pointer": "/CloudWatchLogsLogGroupArn", "value": None})
