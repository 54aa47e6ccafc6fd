"""cloudwatch_alarm_unauthorized_api_calls: one filter with both terms, or several filters feeding one metric."""

from __future__ import annotations

import pytest

from ztlab.checks import get_check
from ztlab.snapshot.model import (AccountSnapshot, CloudTrailSection, CloudWatchSection, SnsSection, SnsTopic, Trail)

ACCOUNT = "123456789012"
GROUP = "/corp/cloudtrail"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:soc"
BOTH = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'


def metric_filter(pattern: str, metric: str = "Unauthorized", group: str = GROUP) -> dict:
    return {"filterName": metric + pattern[:8], "logGroupName": group, "filterPattern": pattern,
            "metricTransformations": [{"metricNamespace": "Sec", "metricName": metric, "metricValue": "1"}]}


def verdict(filters: list[dict], alarm_metric: str = "Unauthorized", subscribed: bool = True) -> str:
    trail = Trail(trail={"Name": "org", "IsMultiRegionTrail": True,
                         "CloudWatchLogsLogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}:*"},
                  status={"IsLogging": True})
    snapshot = AccountSnapshot(
        account_id=ACCOUNT, region="us-east-1",
        cloudtrail=CloudTrailSection(trails=[trail]),
        cloudwatch=CloudWatchSection(metric_filters=filters, alarms=[
            {"AlarmName": "a", "Namespace": "Sec", "MetricName": alarm_metric, "AlarmActions": [TOPIC]}]),
        sns=SnsSection(topics=[SnsTopic(arn=TOPIC, subscriptions=[{"Protocol": "email"}] if subscribed else [])]),
    )
    [finding] = get_check("cloudwatch_alarm_unauthorized_api_calls").run(snapshot)
    return finding.status


@pytest.mark.parametrize("filters,expected", [
    ([metric_filter(BOTH)], "PASS"),
    ([metric_filter('{ $.errorCode = "*UnauthorizedOperation" }'), metric_filter('{ $.errorCode = "AccessDenied*" }')], "PASS"),
    ([metric_filter('{ $.errorCode = "AccessDenied*" }')], "FAIL"),
    ([metric_filter('{ $.errorCode = "*UnauthorizedOperation" }'), metric_filter('{ $.errorCode = "AccessDenied*" }', metric="Other")], "FAIL"),
    ([metric_filter(BOTH, group="/some/other/group")], "FAIL"),
])
def test_filters_must_cover_both_error_codes_on_the_trail_group(filters, expected):
    assert verdict(filters) == expected


def test_alarm_must_reach_a_subscribed_topic():
    assert verdict([metric_filter(BOTH)], subscribed=False) == "FAIL"
    assert verdict([metric_filter(BOTH)], alarm_metric="SomethingElse") == "FAIL"
