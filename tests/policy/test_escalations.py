"""Privilege-escalation paths on a real moto account: each method family has a principal that
can use it (FAIL) and principals that cannot (PASS), through the checks and through
`ztlab policy escalations` (text and JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.audit.conftest import reset
from ztlab.checks import get_check

pytestmark = [pytest.mark.server]
ACCOUNT = "123456789012"
SERVICES = ["ec2.amazonaws.com", "lambda.amazonaws.com", "glue.amazonaws.com", "cloudformation.amazonaws.com"]


def doc(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*") -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


ADMIN = doc(allow("*"))
ARN = f"arn:aws:iam::{ACCOUNT}"
# user -> (inline policy statements, attached customer policy statements or None)
USERS = {
    "passer": [allow("iam:PassRole"), allow("ec2:RunInstances")],
    "lambda-passer": [allow("iam:PassRole", f"{ARN}:role/admin"), allow(["lambda:CreateFunction", "lambda:InvokeFunction"])],
    "pass-only": [allow("iam:PassRole")],  # nothing to run the role with
    "run-only": [allow("ec2:RunInstances"), allow("iam:PassRole", f"{ARN}:role/worker")],  # may pass a non-admin only
    "selfer": [allow("iam:PutUserPolicy", f"{ARN}:user/selfer")],
    "other-writer": [allow("iam:PutUserPolicy", f"{ARN}:user/reader")],  # writes someone else's policy, not its own
    "truster": [allow("iam:UpdateAssumeRolePolicy", f"{ARN}:role/admin"), allow("sts:AssumeRole", f"{ARN}:role/admin")],
    "trust-worker": [allow("iam:UpdateAssumeRolePolicy", f"{ARN}:role/worker"), allow("sts:AssumeRole")],
    "keymaker": [allow("iam:CreateAccessKey", f"{ARN}:user/boss")],
    "own-keys": [allow(["iam:CreateAccessKey", "iam:CreateLoginProfile"], f"{ARN}:user/${{aws:username}}")],
    "joiner": [allow("iam:AddUserToGroup", f"{ARN}:group/admins")],
    "join-readers": [allow("iam:AddUserToGroup", f"{ARN}:group/readers")],
    "reader": [allow(["s3:GetObject", "s3:ListBucket"])],
}


@pytest.fixture(scope="module")
def snapshot_file(moto_endpoint, tmp_path_factory):
    from ztlab.sandbox import SandboxClients
    from ztlab.snapshot import read_snapshot

    reset(moto_endpoint)
    clients = SandboxClients(moto_endpoint, "us-east-1")
    iam = clients.client("iam")
    trust = doc({"Effect": "Allow", "Principal": {"Service": SERVICES, "AWS": f"{ARN}:root"}, "Action": "sts:AssumeRole"})
    iam.create_role(RoleName="admin", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName="admin", PolicyName="all", PolicyDocument=ADMIN)
    iam.create_role(RoleName="worker", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName="worker", PolicyName="logs", PolicyDocument=doc(allow("logs:*")))
    iam.create_user(UserName="boss")
    iam.put_user_policy(UserName="boss", PolicyName="all", PolicyDocument=ADMIN)
    iam.create_group(GroupName="admins")
    iam.put_group_policy(GroupName="admins", PolicyName="all", PolicyDocument=ADMIN)
    iam.create_group(GroupName="readers")
    iam.put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=doc(allow("s3:Get*")))
    for name, statements in USERS.items():
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="own", PolicyDocument=doc(*statements))
    for name, action in (("versioner", "iam:CreatePolicyVersion"), ("defaulter", "iam:SetDefaultPolicyVersion")):
        iam.create_user(UserName=name)
        arn = iam.create_policy(PolicyName=f"{name}-policy", PolicyDocument=doc(
            allow(action, f"{ARN}:policy/{name}-policy")))["Policy"]["Arn"]
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    iam.create_user(UserName="other-versioner")  # may version a policy that governs someone else
    iam.create_policy(PolicyName="team-policy", PolicyDocument=doc(allow("s3:GetObject")))
    iam.put_user_policy(UserName="other-versioner", PolicyName="own", PolicyDocument=doc(
        allow("iam:CreatePolicyVersion", f"{ARN}:policy/team-policy")))
    path = read_snapshot(clients, region="us-east-1").save(tmp_path_factory.mktemp("esc") / "snap.json")
    return path


EXPECT = {
    "iam_no_escalation_passrole_compute": ({"passer", "lambda-passer"}, {"pass-only", "run-only", "reader"}),
    "iam_no_escalation_policy_version": ({"versioner", "defaulter"}, {"other-versioner", "reader"}),
    "iam_no_escalation_self_attach": ({"selfer"}, {"other-writer", "reader"}),
    "iam_no_escalation_trust_update": ({"truster"}, {"trust-worker", "reader"}),
    "iam_no_escalation_other_credentials": ({"keymaker"}, {"own-keys", "reader"}),
    "iam_no_escalation_group_membership": ({"joiner"}, {"join-readers", "reader"}),
}


@pytest.mark.parametrize("check_id", sorted(EXPECT))
def test_each_family_fails_its_users_and_passes_the_near_misses(snapshot_file, check_id):
    from ztlab.snapshot import AccountSnapshot

    findings = get_check(check_id).run(AccountSnapshot.load(snapshot_file))
    status = {f.resource.rsplit("/", 1)[-1]: f for f in findings}
    failing, passing = EXPECT[check_id]
    assert {n for n, f in status.items() if f.status == "FAIL"} == failing, \
        [(n, f.message) for n, f in status.items() if f.status == "FAIL"]
    for name in passing | {"boss", "admin"}:  # administrators already are: nothing to escalate
        assert status[name].status == "PASS", status[name].message
    for name in failing:
        steps = status[name].evidence["paths"][0]["steps"]
        assert steps and all(s["statements"] for s in steps)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", "policy", "escalations", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"})


def test_escalations_command_json_and_text(snapshot_file):
    result = cli("passer", "--snapshot", str(snapshot_file), "--output", "json")
    assert result.returncode == 1, result.stderr
    paths = json.loads(result.stdout)["paths"]
    assert [p["method"] for p in paths] == ["PassRole + ec2"]
    assert [s["action"] for s in paths[0]["steps"]] == ["iam:PassRole", "ec2:RunInstances"]
    assert paths[0]["target"] == f"{ARN}:role/admin"
    result = cli("reader", "--snapshot", str(snapshot_file))
    assert result.returncode == 0 and "none found" in result.stdout
    result = cli("--snapshot", str(snapshot_file))
    assert result.returncode == 1
    for name in ("passer", "versioner", "selfer", "truster", "keymaker", "joiner"):
        assert f"user/{name}:" in result.stdout
    result = cli("ghost", "--snapshot", str(snapshot_file))
    assert result.returncode == 2 and "no user or role named 'ghost'" in result.stderr
