from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import trail_arn, trail_ids
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CloudTrailCloudWatchLogs(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.cloudtrail.trails:
            yield self.failed(snapshot.account_arn, "The account has no CloudTrail trail.", ids=[snapshot.account_id])
        for trail in snapshot.cloudtrail.trails:
            name, group = trail.trail.get("Name"), trail.trail.get("CloudWatchLogsLogGroupArn")
            if group:
                yield self.passed(trail_arn(trail), f"Trail {name} delivers to {group}.", ids=trail_ids(trail))
            else:
                yield self.failed(trail_arn(trail), f"Trail {name} does not deliver to CloudWatch Logs, so nothing can alarm on it.",
                                  evidence={"pointer": "/CloudWatchLogsLogGroupArn", "value": None}, ids=trail_ids(trail))
