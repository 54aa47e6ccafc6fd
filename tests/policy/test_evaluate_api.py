"""The engine's Python API as the checks and labs use it: callers, requests, explanations."""

from __future__ import annotations

import json

import pytest

from ztlab.policy import Caller, PolicySet, Request, evaluate, parse_policy

ACCOUNT = "111122223333"


def test_caller_forms():
    user = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/division/alice", tags={"team": "data"})
    assert (user.account, user.principal_type, user.name, user.principal_arn) == (
        ACCOUNT, "User", "alice", f"arn:aws:iam::{ACCOUNT}:user/division/alice")
    session = Caller.from_arn(f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/ci-run-7")
    assert session.principal_type == "AssumedRole"
    assert session.principal_arn == f"arn:aws:iam::{ACCOUNT}:role/deploy"
    assert session.session_name == "ci-run-7"
    root = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:root")
    assert (root.principal_type, root.account) == ("Account", ACCOUNT)
    assert Caller.from_arn(ACCOUNT) == root
    fed = Caller.from_arn(f"arn:aws:sts::{ACCOUNT}:federated-user/pat")
    assert fed.principal_type == "FederatedUser"
    assert Caller.anonymous().account is None
    assert Caller.service("cloudtrail.amazonaws.com").principal_type == "Service"
    with pytest.raises(ValueError, match="not a caller ARN"):
        Caller.from_arn("alice")


def test_explanation_names_layer_policy_statement_and_position():
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "NoTlsNoAccess", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}, indent=2)
    policy = parse_policy(text, name="reader")
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    ok = evaluate(Request("s3:GetObject", "arn:aws:s3:::reports/a", caller, context={"aws:SecureTransport": True}),
                  PolicySet(identity=[policy]))
    assert ok.allowed and ok.decision == "allowed" and ok.failed_layer is None
    [m] = ok.matched
    assert (m.layer, m.policy_name, m.index, m.sid, m.pointer, m.effect) == (
        "identity", "reader", 0, "ReadReports", "/Statement/0", "Allow")
    assert m.line == 4
    denied = evaluate(Request("s3:GetObject", "arn:aws:s3:::reports/a", caller, context={"aws:SecureTransport": "false"}),
                      PolicySet(identity=[policy]))
    assert denied.decision == "explicitDeny"
    assert [d.sid for d in denied.deciding] == ["NoTlsNoAccess"]
    assert "NoTlsNoAccess" in denied.explain()
    absent = evaluate(Request("s3:PutObject", "arn:aws:s3:::reports/a", caller), PolicySet(identity=[policy]))
    assert absent.decision == "implicitDeny" and absent.failed_layer == "identity"
    assert absent.missing_context == ["aws:SecureTransport"]


def test_derived_keys_can_be_overridden_by_the_request():
    policy = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                                                   "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}}]})
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    assert evaluate(Request("s3:GetObject", "*", caller), PolicySet(identity=[policy])).allowed
    other = Request("s3:GetObject", "*", caller, context={"AWS:PrincipalAccount": "999988887777"})
    assert not evaluate(other, PolicySet(identity=[policy])).allowed


def test_principal_tags_feed_variables_and_conditions():
    policy = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                                   "Resource": "arn:aws:s3:::teams/${aws:PrincipalTag/Team}/*"}]})
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice", tags={"team": "data"})
    assert evaluate(Request("s3:GetObject", "arn:aws:s3:::teams/data/x", caller), PolicySet(identity=[policy])).allowed
    assert not evaluate(Request("s3:GetObject", "arn:aws:s3:::teams/web/x", caller), PolicySet(identity=[policy])).allowed


@pytest.mark.parametrize("value", [False, "false", ["false"], ("false",), "FALSE"])
def test_context_values_are_normalised(value):
    policy = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": False}}}]})
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    result = evaluate(Request("s3:GetObject", "*", caller, context={"aws:securetransport": value}), PolicySet(identity=[policy]))
    assert result.decision == "explicitDeny"


def test_scp_levels_report_the_level():
    allow_all = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    only_s3 = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}, name="ou")
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    ps = PolicySet(identity=[allow_all], scps=[[allow_all], [only_s3]])
    assert evaluate(Request("s3:GetObject", "*", caller), ps).allowed
    denied = evaluate(Request("ec2:RunInstances", "*", caller), ps)
    assert denied.failed_layer == "scp"
    assert {m.scp_level for m in denied.matched if m.layer == "scp"} == {0}


def test_resource_owner_defaults_to_the_arn_account_then_the_caller():
    allow = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})
    caller = Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice")
    foreign_queue = "arn:aws:sqs:eu-west-1:444455556666:jobs"
    cross = evaluate(Request("sqs:SendMessage", foreign_queue, caller), PolicySet(identity=[allow]))
    assert (cross.decision, cross.failed_layer) == ("implicitDeny", "resource")
    own = evaluate(Request("sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs", caller), PolicySet(identity=[allow]))
    assert own.allowed
    bucket = evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k", caller), PolicySet(identity=[allow]))
    assert bucket.decision == "implicitDeny"  # sqs:* does not cover s3; and S3 ARNs name no account


def test_simulate_without_resource_owner_uses_the_callers_account():
    """SimulateCustomPolicy: ResourceOwner (default: the caller's account) owns the resources
    that do not name their account in the ARN; an ARN that names one is owned by it."""
    from ztlab.policy.simulate import simulate_document

    case = {"PolicyInputList": [json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]})], "ActionNames": ["sqs:SendMessage"],
        "CallerArn": f"arn:aws:iam::{ACCOUNT}:user/alice"}
    out, _ = simulate_document({**case, "ResourceArns": ["arn:aws:s3:::jobs"], "ActionNames": ["s3:GetObject"],
                                "PolicyInputList": [{"Version": "2012-10-17", "Statement": [
                                    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]})
    assert out["EvaluationResults"][0]["EvalDecision"] == "allowed"
    out, _ = simulate_document({**case, "ResourceArns": [f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"]})
    assert out["EvaluationResults"][0]["EvalDecision"] == "allowed"
    # another account's queue: cross-account, and no resource policy grants access
    out, _ = simulate_document({**case, "ResourceArns": ["arn:aws:sqs:eu-west-1:444455556666:jobs"]})
    assert out["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"
