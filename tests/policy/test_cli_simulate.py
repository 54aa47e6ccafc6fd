"""`ztlab policy simulate` as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.policy.casefiles import all_cases, case_files, expected_decisions

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

POLICY = {"Version": "2012-10-17", "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


def ztlab(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", "policy", "simulate", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def ztlab_in_process(*args: str):
    """click's runner for the many small usage checks (a subprocess each would be slow)."""
    from click.testing import CliRunner

    from ztlab.cli.main import cli

    return CliRunner().invoke(cli, ["policy", "simulate", *args])


def test_every_table_case_through_one_process():
    done = ztlab("--case", *[str(p) for p in case_files()], "--output", "json")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    cases = all_cases()
    assert len(lines) == len(cases)
    for line, (case_id, case) in zip(lines, cases):
        assert line["Case"].endswith(case_id.replace("#", ".json#")), (line["Case"], case_id)
        assert [r["EvalDecision"] for r in line["EvaluationResults"]] == expected_decisions(case), case["Description"]


def test_aws_cli_style_parameters(tmp_path):
    (tmp_path / "policy.json").write_text(json.dumps(POLICY, indent=2))
    done = ztlab("--policy-input-list", "file://policy.json", "--action-names", "s3:GetObject", "s3:PutObject",
                 "--resource-arns", "arn:aws:s3:::reports/jan.csv",
                 "--context-entries", "ContextKeyName=aws:SecureTransport,ContextKeyValues=true,ContextKeyType=boolean",
                 "--output", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["EvaluationResults"]
    assert [(r["EvalActionName"], r["EvalDecision"]) for r in results] == [
        ("s3:GetObject", "allowed"), ("s3:PutObject", "implicitDeny")]
    [statement] = results[0]["MatchedStatements"]
    assert statement["SourcePolicyId"] == "PolicyInputList.1"
    assert statement["Sid"] == "ReadReports" and statement["Pointer"] == "/Statement/0"
    assert statement["StartPosition"] == {"Line": 4, "Column": 5}


def test_json_context_entries_and_explicit_deny_table(tmp_path):
    entries = json.dumps([{"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["false"],
                           "ContextKeyType": "boolean"}])
    done = ztlab_in_process("--policy-input-list", json.dumps(POLICY), "--action-names", "s3:GetObject",
                 "--resource-arns", "arn:aws:s3:::reports/jan.csv", "--context-entries", entries)
    assert done.exit_code == 0, done.output
    row = done.output.splitlines()[1]
    assert "explicitDeny" in row and "TlsOnly" in row


def test_missing_context_is_reported():
    done = ztlab_in_process("--policy-input-list", json.dumps(POLICY), "--action-names", "s3:GetObject",
                 "--resource-arns", "arn:aws:s3:::reports/jan.csv", "--output", "json")
    [result] = json.loads(done.output)["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"
    # a named resource: the API reports missing keys per resource, not at the top
    assert result["MissingContextValues"] == []
    assert result["ResourceSpecificResults"][0]["MissingContextValues"] == ["aws:SecureTransport"]


def test_scps_sessions_boundary_and_resource_policy_parameters():
    allow_all = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    only_s3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    bucket = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sqs:*", "Resource": "*"}]})
    done = ztlab_in_process("--policy-input-list", allow_all, "--action-names", "s3:GetObject", "ec2:RunInstances", "sqs:SendMessage",
                 "--scp-input-list", json.dumps([[json.loads(allow_all)], [only_s3, {"Version": "2012-10-17", "Statement": [
                     {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}]]),
                 "--permissions-boundary-policy-input-list", json.dumps(only_s3),
                 "--resource-policy", bucket, "--caller-arn", "arn:aws:iam::111122223333:user/alice",
                 "--resource-owner", "111122223333", "--output", "json")
    assert done.exit_code == 0, done.output
    decisions = [r["EvalDecision"] for r in json.loads(done.output)["EvaluationResults"]]
    # ec2 is outside the OU's SCPs; sqs comes from the bucket policy naming the user, past the boundary
    assert decisions == ["allowed", "implicitDeny", "allowed"]


def test_bad_policy_is_exit_2_with_location(tmp_path):
    (tmp_path / "broken.json").write_text('{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:*",}]\n}')
    done = ztlab("--policy-input-list", "file://broken.json", "--action-names", "s3:GetObject", cwd=tmp_path)
    assert done.returncode == 2
    assert "3:" in done.stderr and "invalid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_errors_are_exit_2():
    for args, words in [
        (["--policy-input-list", json.dumps(POLICY)], "--action-names is required"),
        (["--case", "x.json", "--action-names", "s3:GetObject"], "do not combine"),
        (["--policy-input-list", "file://does-not-exist.json", "--action-names", "s3:GetObject"], "does-not-exist.json: does not exist"),
        (["--action-names", "s3:GetObject", "--caller-arn", "bob"], "CallerArn"),
        (["--action-names", "s3:GetObject", "--resource-policy", json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]})], "CallerArn is required"),
        (["--action-names", "s3:GetObject", "--context-entries", '[{"ContextKeyName": "aws:SourceIp", '
          '"ContextKeyValues": ["300.1.1.1"], "ContextKeyType": "ip"}]'], "not an IP address"),
    ]:
        done = ztlab_in_process(*args)
        assert done.exit_code == 2, (args, done.output)
        assert words in done.stderr, (args, done.stderr)
        assert done.exception is None or isinstance(done.exception, SystemExit)


def test_bad_case_does_not_hide_the_good_ones(tmp_path):
    good = {"PolicyInputList": [POLICY], "ActionNames": ["s3:GetObject"], "ResourceArns": ["arn:aws:s3:::reports/x"]}
    bad = dict(good, PolicyInputList=[{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}])
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "bad.json").write_text(json.dumps(bad, indent=2))
    (tmp_path / "odd.json").write_text(json.dumps(dict(good, Colour="blue")))
    done = ztlab("--case", "bad.json", "good.json", "odd.json", "--output", "json", cwd=tmp_path)
    assert done.returncode == 2
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["Case"] == "bad.json" and "Permit" in lines[0]["Error"]
    assert ":7:" in lines[0]["Error"]  # line of the Effect in bad.json
    assert lines[1]["EvaluationResults"][0]["EvalDecision"] == "allowed"
    assert lines[2]["EvaluationResults"][0]["EvalDecision"] == "allowed"
    assert "ignoring unknown key 'Colour'" in done.stderr


def test_boundary_and_organizations_decision_details(tmp_path):
    allow = lambda action: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
    case = {"PolicyInputList": [allow("*")], "PermissionsBoundaryPolicyInputList": [allow("s3:*")],
            "ServiceControlPolicyInputList": [[allow("*")], [allow("ec2:*")]],
            "ActionNames": ["s3:GetObject", "ec2:RunInstances", "sqs:SendMessage"]}
    (tmp_path / "case.json").write_text(json.dumps(case))
    done = ztlab("--case", str(tmp_path / "case.json"), "--output", "json")
    results = json.loads(done.stdout)["EvaluationResults"]
    assert [r["EvalDecision"] for r in results] == ["implicitDeny"] * 3
    assert [r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] for r in results] == [
        True, False, False]
    assert [r["OrganizationsDecisionDetail"]["AllowedByOrganizations"] for r in results] == [False, True, False]
