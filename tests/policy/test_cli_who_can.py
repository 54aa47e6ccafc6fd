"""`ztlab policy who-can` and `can` on a real moto account: who may read the payroll bucket, with
the deciding statements, conditions and JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

pytestmark = [pytest.mark.server]
ACCOUNT = "123456789012"
OUTSIDER = "444455556666"


def doc(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


TRUST = doc({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})


@pytest.fixture
def payroll(account, tmp_path):
    iam, s3 = account.client("iam"), account.client("s3")
    s3.create_bucket(Bucket="payroll")
    s3.put_bucket_policy(Bucket="payroll", Policy=doc(
        {"Sid": "AuditorReads", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:role/auditor"},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::payroll/reports/*"},
        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::payroll", "arn:aws:s3:::payroll/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))
    for name in ("alice", "bob", "carol"):
        iam.create_user(UserName=name)
    iam.put_user_policy(UserName="alice", PolicyName="read", PolicyDocument=doc(
        {"Sid": "ReadPayroll", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::payroll/*"}))
    iam.put_user_policy(UserName="carol", PolicyName="office", PolicyDocument=doc(
        {"Sid": "FromOffice", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}))
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=TRUST)
    iam.put_role_policy(RoleName="app", PolicyName="ec2", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))
    return account


@pytest.fixture
def saved(payroll, tmp_path):
    """The account read once; the commands read it back from a file, as `--snapshot` users do."""
    from ztlab.snapshot import read_snapshot

    payroll.snapshot = read_snapshot(payroll, region="us-east-1").save(tmp_path / "snap.json")
    return payroll


def run(*args: str):
    """The command as a user runs it (the in-process moto server prints to this process's stdout)."""
    done = subprocess.run([sys.executable, "-m", "ztlab", "policy", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "NO_COLOR": "1"})
    return SimpleNamespace(exit_code=done.returncode, output=done.stdout + done.stderr, stdout=done.stdout)


def test_who_can_read_the_payroll_bucket(payroll, tmp_path):
    result = run("who-can", "arn:aws:s3:::payroll/*", "--actions", "s3:GetObject", "--endpoint-url",
                 payroll.endpoint_url, "--output", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    who = {g["principal"]: g for g in report["grants"]}
    assert f"arn:aws:iam::{ACCOUNT}:user/alice" in who
    assert who[f"arn:aws:iam::{ACCOUNT}:user/alice"]["statements"][0].startswith("Allow identity:")
    assert f"arn:aws:iam::{ACCOUNT}:user/bob" not in who  # no policy at all
    assert not any(":role/app" in p for p in who)  # ec2 only
    assert not any(g["kind"] == "anonymous" for g in report["grants"])
    # the outsider's role reaches only reports/, and the answer says where
    auditor = next(g for g in report["grants"] if "auditor" in g["principal"])
    assert auditor["kind"] == "outsider" and auditor["example_resource"].startswith("arn:aws:s3:::payroll/reports/")
    # carol only from the office: the condition is part of the answer
    carol = who[f"arn:aws:iam::{ACCOUNT}:user/carol"]
    assert carol["requires"] == {"aws:sourceip": "203.0.113.0"} or carol["requires"].get("aws:SourceIp")
    assert any("IpAddress" in c for c in carol["conditions"])


def test_who_can_text_on_a_saved_snapshot(saved):
    result = run("who-can", "arn:aws:s3:::payroll/reports/q1.csv", "--snapshot", str(saved.snapshot))
    assert result.exit_code == 0, result.output
    assert "user/alice" in result.output and "s3:GetObject" in result.output
    assert "ReadPayroll" in result.output
    assert "user/bob" not in result.output


def test_can_lists_what_a_principal_reaches(saved):
    result = run("can", "alice", "--snapshot", str(saved.snapshot), "--output", "json")
    assert result.exit_code == 0, result.output
    grants = json.loads(result.stdout)["grants"]
    assert {(g["action"], g["resource"]) for g in grants} == {("s3:GetObject", "arn:aws:s3:::payroll/*")}
    result = run("can", "bob", "--snapshot", str(saved.snapshot), "--output", "json")
    assert json.loads(result.stdout)["grants"] == []


def test_bad_questions_are_usage_errors(saved, tmp_path):
    result = run("can", "nobody", "--snapshot", str(saved.snapshot))
    assert result.exit_code == 2 and "no user or role named 'nobody'" in result.output
    result = run("who-can", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1", "--snapshot", str(saved.snapshot))
    assert result.exit_code == 2 and "--actions" in result.output
    (tmp_path / "bad.json").write_text("{not json")
    result = run("who-can", "arn:aws:s3:::payroll", "--snapshot", str(tmp_path / "bad.json"))
    assert result.exit_code == 2 and "Traceback" not in result.output
