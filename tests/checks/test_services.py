"""Encryption, logging, monitoring, secrets, Cognito and SCP guardrails."""

from __future__ import annotations

import pytest

from tests.checks.helpers import ACCOUNT, Case, policy, snap, text, verify

KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1"


def key(**kw) -> dict:
    base = {"key_id": "k1", "arn": KEY_ARN, "metadata": {"KeyManager": "CUSTOMER", "KeyState": "Enabled", "KeySpec": "SYMMETRIC_DEFAULT",
                                                         "Origin": "AWS_KMS"}, "rotation_enabled": True,
            "policy": text(policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}))}
    base.update(kw)
    return base


def db(**kw) -> dict:
    return {"DBInstanceIdentifier": "db1", "Engine": "postgres", "StorageEncrypted": True, "PubliclyAccessible": False,
            "DBParameterGroups": [{"DBParameterGroupName": "pg"}], **kw}


TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"


def trail(**kw) -> dict:
    t = {"Name": "main", "TrailARN": TRAIL_ARN, "IsMultiRegionTrail": True, "LogFileValidationEnabled": True, "KmsKeyId": KEY_ARN,
         "CloudWatchLogsLogGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:trail-logs:*", "HomeRegion": "us-east-1"}
    t.update(kw.pop("trail", {}))
    return {"trail": t, "status": {"IsLogging": True}, "event_selectors": {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": True}]}, **kw}


ROOT_FILTER = {"filterName": "root", "logGroupName": "trail-logs",
               "filterPattern": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
               "metricTransformations": [{"metricName": "RootUsage", "metricNamespace": "CIS"}]}
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
ROOT_ALARM = {"AlarmName": "root", "AlarmArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:root", "MetricName": "RootUsage",
              "Namespace": "CIS", "AlarmActions": [TOPIC]}
SUBSCRIBED = {"topics": [{"arn": TOPIC, "subscriptions": [{"Protocol": "email", "Endpoint": "sec@example.com"}]}]}

CASES = [
    Case("ec2_ebs_default_encryption", "on", snap(ec2={"ebs_encryption_by_default": True}), {"account": "PASS"}),
    Case("ec2_ebs_default_encryption", "off", snap(ec2={"ebs_encryption_by_default": False}), {"account": "FAIL"}),
    Case("ec2_ebs_default_encryption", "unread", snap(ec2={"errors": {"ebs_encryption_by_default": "UnsupportedOperation"}}), {"account": "UNKNOWN"}),
    Case("ec2_ebs_volume_encrypted", "plain", snap(ec2={"volumes": [{"VolumeId": "vol-1", "Encrypted": False}]}), {"vol-1": "FAIL"}),
    Case("ec2_ebs_volume_encrypted", "encrypted", snap(ec2={"volumes": [{"VolumeId": "vol-1", "Encrypted": True}]}), {"vol-1": "PASS"}),
    Case("rds_instance_encrypted", "yes", snap(rds={"instances": [db()]}), {"db1": "PASS"}),
    Case("rds_instance_encrypted", "no", snap(rds={"instances": [db(StorageEncrypted=False)]}), {"db1": "FAIL"}),
    Case("rds_snapshot_encrypted", "plain", snap(rds={"snapshots": [{"DBSnapshotIdentifier": "s1", "Encrypted": False}]}), {"s1": "FAIL"}),
    Case("rds_snapshot_encrypted", "encrypted", snap(rds={"snapshots": [{"DBSnapshotIdentifier": "s1", "Encrypted": True}]}), {"s1": "PASS"}),
    Case("rds_instance_requires_tls", "force-ssl", snap(rds={"instances": [db()], "parameter_groups": {"pg": {"rds.force_ssl": "1"}}}), {"db1": "PASS"}),
    Case("rds_instance_requires_tls", "postgres-16-default-on", snap(rds={"instances": [db(EngineVersion="16.3")], "parameter_groups": {"pg": {}}}),
         {"db1": "PASS"}),
    Case("rds_instance_requires_tls", "postgres-16-turned-off",
         snap(rds={"instances": [db(EngineVersion="16.3")], "parameter_groups": {"pg": {"rds.force_ssl": "0"}}}), {"db1": "FAIL"}),
    Case("rds_instance_requires_tls", "default-off", snap(rds={"instances": [db()], "parameter_groups": {"pg": {}}}), {"db1": "FAIL"}),
    Case("rds_instance_requires_tls", "mysql-secure-transport",
         snap(rds={"instances": [db(Engine="mysql")], "parameter_groups": {"pg": {"require_secure_transport": "ON"}}}), {"db1": "PASS"}),
    Case("rds_instance_requires_tls", "mysql-force-ssl-is-wrong-knob",
         snap(rds={"instances": [db(Engine="mysql")], "parameter_groups": {"pg": {"rds.force_ssl": "1"}}}), {"db1": "FAIL"}),
    Case("rds_instance_requires_tls", "group-unreadable",
         snap(rds={"instances": [db()], "errors": {"parameter_groups.pg": "DBParameterGroupNotFound"}}), {"db1": "UNKNOWN"}),
    Case("kms_key_rotation_enabled", "on", snap(kms={"keys": [key()]}), {KEY_ARN: "PASS"}),
    Case("kms_key_rotation_enabled", "off", snap(kms={"keys": [key(rotation_enabled=False)]}), {KEY_ARN: "FAIL"}),
    Case("kms_key_rotation_enabled", "asymmetric", snap(kms={"keys": [key(metadata={"KeyManager": "CUSTOMER", "KeySpec": "RSA_2048"},
                                                                          rotation_enabled=None)]}), {KEY_ARN: "NOT_APPLICABLE"}),
    Case("kms_key_rotation_enabled", "status-unreadable", snap(kms={"keys": [key(rotation_enabled=None, errors={"rotation": "AccessDenied"})]}),
         {KEY_ARN: "UNKNOWN"}),
    Case("kms_key_rotation_enabled", "aws-managed-only", snap(kms={"keys": [key(metadata={"KeyManager": "AWS"})]}), {"*": "NOT_APPLICABLE"}),
    Case("kms_key_policy_not_public", "account-only", snap(kms={"keys": [key()]}), {KEY_ARN: "PASS"}),
    Case("kms_key_policy_not_public", "everyone",
         snap(kms={"keys": [key(policy=text(policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"})))]}),
         {KEY_ARN: "FAIL"}),
    Case("kms_key_policy_not_public", "everyone-in-org",
         snap(kms={"keys": [key(policy=text(policy({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                                                     "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}})))]}), {KEY_ARN: "PASS"}),
    Case("secretsmanager_secret_rotation_enabled", "on", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db", "RotationEnabled": True}]}),
         {"db": "PASS"}),
    Case("secretsmanager_secret_rotation_enabled", "off", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db"}]}), {"db": "FAIL"}),
    Case("secretsmanager_secret_cmk", "cmk", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db", "KmsKeyId": KEY_ARN}]},
                                                  kms={"keys": [key()]}), {"db": "PASS"}),
    Case("secretsmanager_secret_cmk", "default-key", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db"}]}), {"db": "FAIL"}),
    Case("secretsmanager_secret_cmk", "aws-alias", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db", "KmsKeyId": "alias/aws/secretsmanager"}]}),
         {"db": "FAIL"}),
    Case("secretsmanager_secret_cmk", "disabled-key", snap(secretsmanager={"secrets": [{"ARN": "arn:s:1", "Name": "db", "KmsKeyId": KEY_ARN}]},
                                                           kms={"keys": [key(metadata={"KeyManager": "CUSTOMER", "KeyState": "Disabled"})]}), {"db": "FAIL"}),
    # ---- CloudTrail
    Case("cloudtrail_multi_region_enabled", "good", snap(cloudtrail={"trails": [trail()]}), {"root": "PASS"}),
    Case("cloudtrail_multi_region_enabled", "single-region", snap(cloudtrail={"trails": [trail(trail={"IsMultiRegionTrail": False})]}), {"root": "FAIL"}),
    Case("cloudtrail_multi_region_enabled", "stopped", snap(cloudtrail={"trails": [trail(status={"IsLogging": False})]}), {"root": "FAIL"}),
    Case("cloudtrail_multi_region_enabled", "write-only",
         snap(cloudtrail={"trails": [trail(event_selectors={"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]})]}),
         {"root": "FAIL"}),
    Case("cloudtrail_multi_region_enabled", "advanced-selectors",
         snap(cloudtrail={"trails": [trail(event_selectors={"AdvancedEventSelectors": [
             {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]})]}), {"root": "PASS"}),
    Case("cloudtrail_multi_region_enabled", "none", snap(), {"root": "FAIL"}),
    Case("cloudtrail_multi_region_enabled", "not-emulated", snap(cloudtrail={"error": "InternalFailure (HTTP 501): not included in your license plan"}),
         {"*": "UNKNOWN"}),
    Case("cloudtrail_log_file_validation", "on", snap(cloudtrail={"trails": [trail()]}), {TRAIL_ARN: "PASS"}),
    Case("cloudtrail_log_file_validation", "off", snap(cloudtrail={"trails": [trail(trail={"LogFileValidationEnabled": False})]}), {TRAIL_ARN: "FAIL"}),
    Case("cloudtrail_kms_encryption", "on", snap(cloudtrail={"trails": [trail()]}), {TRAIL_ARN: "PASS"}),
    Case("cloudtrail_kms_encryption", "off", snap(cloudtrail={"trails": [trail(trail={"KmsKeyId": None})]}), {TRAIL_ARN: "FAIL"}),
    Case("cloudtrail_cloudwatch_logs", "on", snap(cloudtrail={"trails": [trail()]}), {TRAIL_ARN: "PASS"}),
    Case("cloudtrail_cloudwatch_logs", "off", snap(cloudtrail={"trails": [trail(trail={"CloudWatchLogsLogGroupArn": None})]}), {TRAIL_ARN: "FAIL"}),
    Case("vpc_flow_logs_enabled", "on", snap(ec2={"vpcs": [{"VpcId": "vpc-1"}], "flow_logs": [
        {"FlowLogId": "fl-1", "ResourceId": "vpc-1", "TrafficType": "ALL", "FlowLogStatus": "ACTIVE"}]}), {"vpc-1": "PASS"}),
    Case("vpc_flow_logs_enabled", "accept-only", snap(ec2={"vpcs": [{"VpcId": "vpc-1"}], "flow_logs": [
        {"FlowLogId": "fl-1", "ResourceId": "vpc-1", "TrafficType": "ACCEPT"}]}), {"vpc-1": "FAIL"}),
    Case("vpc_flow_logs_enabled", "other-vpc", snap(ec2={"vpcs": [{"VpcId": "vpc-1"}], "flow_logs": [
        {"FlowLogId": "fl-1", "ResourceId": "vpc-2", "TrafficType": "ALL"}]}), {"vpc-1": "FAIL"}),
    # ---- detection
    Case("guardduty_enabled", "on", snap(guardduty={"detectors": [{"DetectorId": "d1", "Status": "ENABLED"}]}), {"detector": "PASS"}),
    Case("guardduty_enabled", "suspended", snap(guardduty={"detectors": [{"DetectorId": "d1", "Status": "DISABLED"}]}), {"detector": "FAIL"}),
    Case("guardduty_enabled", "none", snap(), {"detector": "FAIL"}),
    Case("guardduty_enabled", "localstack-501", snap(guardduty={"error": "InternalFailure (HTTP 501): not emulated"}), {"*": "UNKNOWN"}),
    Case("securityhub_enabled", "on", snap(securityhub={"hub": {"HubArn": f"arn:aws:securityhub:us-east-1:{ACCOUNT}:hub/default"}}), {"hub": "PASS"}),
    Case("securityhub_enabled", "off", snap(), {"hub": "FAIL"}),
    Case("config_recorder_enabled", "recording", snap(config={"recorders": [{"name": "default", "recordingGroup": {"allSupported": True}}],
                                                              "recorder_statuses": [{"name": "default", "recording": True}]}), {"default": "PASS"}),
    Case("config_recorder_enabled", "stopped", snap(config={"recorders": [{"name": "default"}], "recorder_statuses": [{"name": "default", "recording": False}]}),
         {"default": "FAIL"}),
    Case("config_recorder_enabled", "none", snap(), {"recorder": "FAIL"}),
    Case("accessanalyzer_enabled", "active", snap(accessanalyzer={"analyzers": [{"name": "a", "arn": "arn:aa", "status": "ACTIVE"}]}), {"arn:aa": "PASS"}),
    Case("accessanalyzer_enabled", "none", snap(), {"analyzer": "FAIL"}),
    Case("accessanalyzer_enabled", "not-emulated", snap(accessanalyzer={"error": "ServerError (HTTP 500)"}), {"*": "UNKNOWN"}),
    Case("cloudwatch_alarm_root_usage", "full-chain", snap(cloudtrail={"trails": [trail()]}, cloudwatch={"metric_filters": [ROOT_FILTER],
                                                                                                          "alarms": [ROOT_ALARM]}, sns=SUBSCRIBED), {"*": "PASS"}),
    Case("cloudwatch_alarm_root_usage", "nobody-subscribed", snap(cloudtrail={"trails": [trail()]}, cloudwatch={"metric_filters": [ROOT_FILTER],
                                                                                                                "alarms": [ROOT_ALARM]},
                                                                  sns={"topics": [{"arn": TOPIC}]}), {"*": "FAIL"}),
    Case("cloudwatch_alarm_root_usage", "filter-on-other-group",
         snap(cloudtrail={"trails": [trail()]}, cloudwatch={"metric_filters": [{**ROOT_FILTER, "logGroupName": "app"}], "alarms": [ROOT_ALARM]}, sns=SUBSCRIBED),
         {"*": "FAIL"}),
    Case("cloudwatch_alarm_unauthorized_api_calls", "chain",
         snap(cloudtrail={"trails": [trail()]}, sns=SUBSCRIBED, cloudwatch={"alarms": [{**ROOT_ALARM, "MetricName": "Denied"}], "metric_filters": [
             {"filterName": "denied", "logGroupName": "trail-logs", "metricTransformations": [{"metricName": "Denied", "metricNamespace": "CIS"}],
              "filterPattern": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'}]}), {"*": "PASS"}),
    Case("cloudwatch_alarm_unauthorized_api_calls", "no-trail-logs", snap(), {"*": "FAIL"}),
    Case("cognito_user_pool_mfa_required", "on", snap(cognito={"user_pools": [{"Id": "us-east-1_a", "Name": "users", "MfaConfig": {"MfaConfiguration": "ON"}}]}),
         {"us-east-1_a": "PASS"}),
    Case("cognito_user_pool_mfa_required", "optional",
         snap(cognito={"user_pools": [{"Id": "us-east-1_a", "Name": "users", "MfaConfig": {"MfaConfiguration": "OPTIONAL"}}]}), {"us-east-1_a": "FAIL"}),
]

# ---- SCP guardrails
FULL = {"PolicySummary": {"Id": "p-FullAWSAccess", "Name": "FullAWSAccess"}, "Targets": [{"TargetId": "r-root"}],
        "Content": text(policy({"Effect": "Allow", "Action": "*", "Resource": "*"}))}


def org(*extra_policies: dict, management: str = "210987654321") -> object:
    return snap(organizations={"organization": {"Id": "o-abc", "Arn": "arn:aws:organizations::210987654321:organization/o-abc",
                                                "MasterAccountId": management},
                               "policies": [FULL, *extra_policies], "account_path": ["r-root", "ou-1", ACCOUNT]})


def scp(name: str, target: str, *statements: dict) -> dict:
    return {"PolicySummary": {"Id": f"p-{name}", "Name": name}, "Targets": [{"TargetId": target}], "Content": text(policy(*statements))}


DENY_LEAVE = {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
REGIONS = {"Effect": "Deny", "NotAction": ["iam:*", "sts:*", "organizations:*"], "Resource": "*",
           "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}
CASES += [
    Case("organizations_scp_deny_leave_organization", "no-org", snap(), {"*": "NOT_APPLICABLE"}),
    Case("organizations_scp_deny_leave_organization", "only-full-access", org(), {"*": "FAIL"}),
    Case("organizations_scp_deny_leave_organization", "deny-at-ou", org(scp("guard", "ou-1", DENY_LEAVE)), {"*": "PASS"}),
    Case("organizations_scp_deny_leave_organization", "deny-elsewhere", org(scp("guard", "ou-other", DENY_LEAVE)), {"*": "FAIL"}),
    Case("organizations_scp_deny_leave_organization", "break-glass-exemption",
         org(scp("guard", "r-root", {**DENY_LEAVE, "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}})), {"*": "PASS"}),
    Case("organizations_scp_region_restriction", "restricted", org(scp("regions", "r-root", REGIONS)), {"*": "PASS"}),
    Case("organizations_scp_region_restriction", "none", org(), {"*": "FAIL"}),
    Case("organizations_scp_region_restriction", "unreadable", snap(organizations={"organization": {"Id": "o-abc"}, "errors": {"policies": "AccessDenied"}}),
         {"*": "UNKNOWN"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_service_checks(case: Case) -> None:
    verify(case)
