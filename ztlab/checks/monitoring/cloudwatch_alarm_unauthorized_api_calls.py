from ztlab.checks.model import CheckMetadata, Controls, Remediation
from ztlab.checks.monitoring._alarms import MetricAlarmCheck


class AlarmUnauthorizedApiCalls(MetricAlarmCheck):
    counted_events = ({"eventName": "RunInstances", "errorCode": "Client.UnauthorizedOperation"},
                      {"eventName": "DescribeInstances", "errorCode": "UnauthorizedOperation"},
                      {"eventName": "GetObject", "errorCode": "AccessDenied"},
                      {"eventName": "ListUsers", "errorCode": "AccessDeniedException"})
    ignored_events = ({"eventName": "GetObject"}, {"eventName": "RunInstances", "errorCode": "InsufficientInstanceCapacity"})
    event_text = "unauthorized API calls"
    metadata = CheckMetadata(
        id="cloudwatch_alarm_unauthorized_api_calls",
        title="An alarm fires on bursts of unauthorized API calls",
        service="cloudwatch",
        principle="continuous-monitoring",
        severity="low",
        rationale="A stolen key probing what it may do produces AccessDenied and UnauthorizedOperation errors "
        "long before it finds something that works. Counting them is a cheap early warning.",
        remediation=Remediation(
            cli="aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name unauthorized --metric-transformations "
            "metricName=UnauthorizedCalls,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern "
            "'{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }' && aws cloudwatch put-metric-alarm "
            "--alarm-name unauthorized-calls --metric-name UnauthorizedCalls --namespace CISBenchmark --statistic Sum --period 300 "
            "--threshold 5 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions <sns-topic-arn>",
            console="CloudWatch > Log groups > the trail's group > Metric filters > Create with the pattern above; create an alarm on "
            "it that notifies a subscribed SNS topic.",
        ),
        controls=Controls(fsbp=("CloudWatch.2",), cis=("4.1",)),
    )
