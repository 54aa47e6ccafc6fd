"""Checks that once read the wrong thing (issue 11): each fix with a passing and a failing fixture.

IMDS switched off is not IMDSv2; another account's key ARN is not this account's customer managed key;
an alarm with its actions disabled notifies nobody; a metric filter is a grammar (A && B counts nothing
when one event has one errorCode), not a bag of substrings; an alarm built with --metrics watches the
same metric as one with Namespace/MetricName.
"""

from __future__ import annotations

import pytest

from tests.checks.helpers import Case, policy, snap, text, verify
from ztlab.checks import get_check
from ztlab.checks.monitoring._filter_pattern import FilterPatternError, compile_pattern
from ztlab.snapshot.model import AccountSnapshot, CloudTrailSection, CloudWatchSection, SnsSection, SnsTopic, Trail

ACCOUNT = "123456789012"
B = "arn:aws:s3:::lab-data"
PROFILE = {"Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/app", "Id": "AIPA1"}
LAB_KEY = {"key_id": "k1", "arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1", "aliases": ["alias/lab"],
           "metadata": {"KeyManager": "CUSTOMER", "KeyState": "Enabled"}}


def instance(**kw) -> dict:
    return {"InstanceId": "i-1", "State": {"Name": "running"}, **kw}


def encrypted_bucket(key_id: str) -> AccountSnapshot:
    return snap(s3={"buckets": [{"name": "lab-data", "arn": B, "encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_id}}]}}]}, kms={"keys": [LAB_KEY]})


def key_with_policy(*statements: dict) -> AccountSnapshot:
    return snap(kms={"keys": [{**LAB_KEY, "policy": text(policy(*statements))}]})


ROOT_ADMIN = {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}

CASES = [
    Case("ec2_instance_imdsv2_required", "endpoint-off-with-role", snap(ec2={"instances": [instance(
        IamInstanceProfile=PROFILE, MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "disabled"})]}), {"i-1": "FAIL"},
        message_contains="role"),
    Case("ec2_instance_imdsv2_required", "tokens-required-with-role", snap(ec2={"instances": [instance(
        IamInstanceProfile=PROFILE, MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"})]}), {"i-1": "PASS"}),
    Case("s3_bucket_default_encryption_cmk", "documentation-key-of-another-account",
         encrypted_bucket("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"), {B: "FAIL"},
         message_contains="111122223333"),
    Case("s3_bucket_default_encryption_cmk", "own-key-by-arn", encrypted_bucket(LAB_KEY["arn"]), {B: "PASS"}),
    Case("kms_key_policy_not_public", "kms-star-to-any-aws-principal",
         key_with_policy(ROOT_ADMIN, {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}), {"k1": "FAIL"}),
    Case("kms_key_policy_not_public", "account-root-only", key_with_policy(ROOT_ADMIN), {"k1": "PASS"}),
    Case("s3_bucket_acl_not_public", "authenticated-users-read", snap(s3={"buckets": [{"name": "lab-data", "arn": B, "acl": {"Grants": [
        {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}, "Permission": "READ"}]}}],
        "account_public_access_block": {}}), {B: "FAIL"}),
    Case("s3_bucket_acl_not_public", "log-delivery-only", snap(s3={"buckets": [{"name": "lab-data", "arn": B, "acl": {"Grants": [
        {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}, "Permission": "WRITE"}]}}],
        "account_public_access_block": {}}), {B: "PASS"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_reads_the_right_thing(case: Case) -> None:
    verify(case)


# ---------------------------------------------------------------- alarms
GROUP = "/corp/cloudtrail"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:soc"
OR = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
AND = '{ ($.errorCode = "*UnauthorizedOperation") && ($.errorCode = "AccessDenied*") }'
ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'


def alarm_verdict(check_id: str, patterns: list[str], alarm: dict | None = None) -> tuple[str, str]:
    trail = Trail(trail={"Name": "org", "IsMultiRegionTrail": True,
                         "CloudWatchLogsLogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{GROUP}:*"}, status={"IsLogging": True})
    filters = [{"filterName": f"f{i}", "logGroupName": GROUP, "filterPattern": p,
                "metricTransformations": [{"metricNamespace": "Sec", "metricName": "M", "metricValue": "1"}]} for i, p in enumerate(patterns)]
    alarm = alarm if alarm is not None else {"AlarmName": "a", "Namespace": "Sec", "MetricName": "M", "AlarmActions": [TOPIC], "ActionsEnabled": True}
    snapshot = AccountSnapshot(account_id=ACCOUNT, region="us-east-1", cloudtrail=CloudTrailSection(trails=[trail]),
                               cloudwatch=CloudWatchSection(metric_filters=filters, alarms=[alarm]),
                               sns=SnsSection(topics=[SnsTopic(arn=TOPIC, subscriptions=[{"Protocol": "email"}])]))
    [finding] = get_check(check_id).run(snapshot)
    return finding.status, finding.message


UNAUTHORIZED = "cloudwatch_alarm_unauthorized_api_calls"


@pytest.mark.parametrize("patterns,expected", [
    ([OR], "PASS"),
    (['{$.errorCode="*UnauthorizedOperation"||$.errorCode="AccessDenied*"}'], "PASS"),  # no spaces, no parentheses
    (['{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") }'], "PASS"),  # other order
    (['{ $.errorCode = "*UnauthorizedOperation" }', '{ $.errorCode = "AccessDenied*" }'], "PASS"),  # two filters, one metric
    ([AND], "FAIL"),  # one event has one errorCode: the AND counts nothing
    (['{ $.errorCode = "*UnauthorizedOperation" }'], "FAIL"),
    (['{ $.errorCode = "*" }'], "FAIL"),  # counts every error, throttling included
    (['{ $.eventName = "*" }'], "FAIL"),  # counts every call: the alarm is noise
    (['?AccessDenied ?UnauthorizedOperation'], "PASS"),  # term pattern on the raw event
    (['AccessDenied UnauthorizedOperation'], "FAIL"),  # terms without ? must all appear
])
def test_unauthorized_filter_is_read_as_the_grammar(patterns, expected):
    status, message = alarm_verdict(UNAUTHORIZED, patterns)
    assert status == expected, message


def test_and_joined_filter_is_explained():
    status, message = alarm_verdict(UNAUTHORIZED, [AND])
    assert status == "FAIL" and "&&" in message


@pytest.mark.parametrize("patterns,expected", [
    ([ROOT], "PASS"),
    (['{ $.userIdentity.type = "Root" }'], "FAIL"),  # also counts AWS acting on root's behalf
    (['{ $.userIdentity.type = "Root" || $.userIdentity.invokedBy NOT EXISTS || $.eventType != "AwsServiceEvent" }'], "FAIL"),
])
def test_root_usage_filter_is_read_as_the_grammar(patterns, expected):
    status, message = alarm_verdict("cloudwatch_alarm_root_usage", patterns)
    assert status == expected, message


def test_alarm_with_actions_disabled_notifies_nobody():
    status, message = alarm_verdict(UNAUTHORIZED, [OR], {"AlarmName": "a", "Namespace": "Sec", "MetricName": "M",
                                                        "AlarmActions": [TOPIC], "ActionsEnabled": False})
    assert status == "FAIL" and "ActionsEnabled" in message


def test_alarm_built_with_metric_stat_watches_the_same_metric():
    alarm = {"AlarmName": "a", "AlarmActions": [TOPIC], "ActionsEnabled": True, "Metrics": [
        {"Id": "m1", "ReturnData": True, "MetricStat": {"Metric": {"Namespace": "Sec", "MetricName": "M"}, "Period": 300, "Stat": "Sum"}}]}
    assert alarm_verdict(UNAUTHORIZED, [OR], alarm)[0] == "PASS"
    other = {**alarm, "Metrics": [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "Sec", "MetricName": "Other"}, "Stat": "Sum"}}]}
    assert alarm_verdict(UNAUTHORIZED, [OR], other)[0] == "FAIL"


@pytest.mark.parametrize("pattern", ['{ $.errorCode = ', '{ ($.errorCode = "x" }', '{ $.errorCode ~ "x" }', '{ "x" }'])
def test_broken_patterns_are_refused_not_guessed(pattern):
    with pytest.raises(FilterPatternError):
        compile_pattern(pattern)


def test_numeric_and_null_tests():
    match = compile_pattern('{ ($.latency >= 100 && $.user IS NULL) || $.flag IS TRUE }')
    assert match({"latency": 150, "user": None}) and match({"flag": True})
    assert not match({"latency": 50, "user": None}) and not match({"latency": 150, "user": "a"}) and not match({"flag": "true"})
