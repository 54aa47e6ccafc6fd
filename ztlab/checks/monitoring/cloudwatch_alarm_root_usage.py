from ztlab.checks.model import CheckMetadata, Controls, Remediation
from ztlab.checks.monitoring._alarms import MetricAlarmCheck


class AlarmRootUsage(MetricAlarmCheck):
    counted_events = ({"eventType": "AwsApiCall", "eventName": "CreateAccessKey", "userIdentity": {"type": "Root"}},
                      {"eventType": "AwsConsoleSignIn", "eventName": "ConsoleLogin", "userIdentity": {"type": "Root"}})
    # Root activity AWS performs on the account's behalf, and everyone else's calls, are noise.
    ignored_events = ({"eventType": "AwsApiCall", "eventName": "GetBucketAcl",
                       "userIdentity": {"type": "Root", "invokedBy": "support.amazonaws.com"}},
                      {"eventType": "AwsServiceEvent", "eventName": "SharedSnapshotCopyInitiated", "userIdentity": {"type": "Root"}},
                      {"eventType": "AwsApiCall", "eventName": "CreateAccessKey", "userIdentity": {"type": "IAMUser"}})
    event_text = "root account use"
    metadata = CheckMetadata(
        id="cloudwatch_alarm_root_usage",
        title="An alarm fires when the root user is used",
        service="cloudwatch",
        principle="continuous-monitoring",
        severity="medium",
        rationale="The root user bypasses every IAM policy and should never be used day to day. Any use is "
        "either an emergency or an intruder: someone must be told at once.",
        remediation=Remediation(
            cli="aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name root-usage --metric-transformations "
            "metricName=RootUsage,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern "
            "'{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }' && "
            "aws cloudwatch put-metric-alarm --alarm-name root-usage --metric-name RootUsage --namespace CISBenchmark --statistic Sum "
            "--period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions <sns-topic-arn>",
            console="CloudWatch > Log groups > the trail's group > Metric filters > Create: the pattern above; then Create alarm "
            "on the metric (>= 1 in 5 minutes) notifying a subscribed SNS topic.",
        ),
        controls=Controls(fsbp=("CloudWatch.1",), cis=("4.3",)),
    )
