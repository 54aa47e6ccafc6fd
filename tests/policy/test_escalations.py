"""Privilege-escalation paths on a real moto account: each method family has a principal that
can use it (FAIL) and principals that cannot (PASS), through the checks and through
`ztlab policy escalations` (text and JSON); and a chained path, a user who assumes a role that
can pass an administrator instance-profile role to EC2, against the same user-role pair whose
trust policy does not name the user."""

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
    # two moves: hopper assumes deployer, which passes fleet-admin (an admin instance profile) to EC2;
    # stranger may assume locked-deployer by its own policy, but that role's trust names hopper only
    iam.create_role(RoleName="fleet-admin", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName="fleet-admin", PolicyName="all", PolicyDocument=ADMIN)
    iam.create_instance_profile(InstanceProfileName="fleet-admin")
    iam.add_role_to_instance_profile(InstanceProfileName="fleet-admin", RoleName="fleet-admin")
    for role in ("deployer", "locked-deployer"):
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": f"{ARN}:user/hopper"}, "Action": "sts:AssumeRole"}))
        iam.put_role_policy(RoleName=role, PolicyName="deploy", PolicyDocument=doc(
            allow("iam:PassRole", f"{ARN}:role/fleet-admin"), allow("ec2:RunInstances")))
    for user, role in (("hopper", "deployer"), ("stranger", "locked-deployer")):
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="own", PolicyDocument=doc(
            allow("sts:AssumeRole", f"{ARN}:role/{role}")))
    # a ring of roles: ringer -> ring-a <-> ring-b -> ring-c; ring-b may mint boss's keys (3 moves from
    # ringer), ring-c may reset boss's password (4 moves from ringer: beyond the bound)
    iam.create_user(UserName="ringer")
    iam.put_user_policy(UserName="ringer", PolicyName="own", PolicyDocument=doc(allow("sts:AssumeRole", f"{ARN}:role/ring-a")))
    ring = {"ring-a": (["user/ringer", "role/ring-b"], ["ring-b"], None),
            "ring-b": (["role/ring-a"], ["ring-a", "ring-c"], "iam:CreateAccessKey"),
            "ring-c": (["role/ring-b"], [], "iam:UpdateLoginProfile")}
    for role, (trusted, assumes, action) in ring.items():
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": [f"{ARN}:{t}" for t in trusted]}, "Action": "sts:AssumeRole"}))
        statements = [allow("sts:AssumeRole", f"{ARN}:role/{r}") for r in assumes]
        statements += [allow(action, f"{ARN}:user/boss")] if action else []
        iam.put_role_policy(RoleName=role, PolicyName="ring", PolicyDocument=doc(*statements))
    # a trust policy that names a user who holds no policy at all: the trust alone lets it in
    iam.create_user(UserName="trustee")
    iam.create_role(RoleName="named-trust", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"AWS": f"{ARN}:user/trustee"}, "Action": "sts:AssumeRole"}))
    iam.create_user(UserName="other-versioner")  # may version a policy that governs someone else
    iam.create_policy(PolicyName="team-policy", PolicyDocument=doc(allow("s3:GetObject")))
    iam.put_user_policy(UserName="other-versioner", PolicyName="own", PolicyDocument=doc(
        allow("iam:CreatePolicyVersion", f"{ARN}:policy/team-policy")))
    path = read_snapshot(clients, region="us-east-1").save(tmp_path_factory.mktemp("esc") / "snap.json")
    return path


EXPECT = {
    "iam_no_escalation_passrole_compute": ({"passer", "lambda-passer", "deployer", "locked-deployer", "hopper"},
                                           {"pass-only", "run-only", "reader", "stranger"}),
    "iam_no_escalation_policy_version": ({"versioner", "defaulter"}, {"other-versioner", "reader"}),
    "iam_no_escalation_self_attach": ({"selfer"}, {"other-writer", "reader"}),
    "iam_no_escalation_trust_update": ({"truster"}, {"trust-worker", "reader"}),
    "iam_no_escalation_other_credentials": ({"keymaker", "ringer", "ring-a", "ring-b", "ring-c"}, {"own-keys", "reader"}),
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
    for name in passing | {"boss", "admin", "fleet-admin"}:  # administrators already are: nothing to escalate
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
    assert {p["method"] for p in paths} == {"PassRole + ec2"}
    assert {p["target"] for p in paths} == {f"{ARN}:role/admin", f"{ARN}:role/fleet-admin"}
    assert [s["action"] for s in paths[0]["steps"]] == ["iam:PassRole", "ec2:RunInstances"]
    assert paths[0]["hops"] == 1 and paths[0]["chain"] == [f"{ARN}:user/passer"]
    result = cli("reader", "--snapshot", str(snapshot_file))
    assert result.returncode == 0 and "none found" in result.stdout
    result = cli("--snapshot", str(snapshot_file))
    assert result.returncode == 1
    for name in ("passer", "versioner", "selfer", "truster", "keymaker", "joiner"):
        assert f"user/{name}:" in result.stdout
    result = cli("ghost", "--snapshot", str(snapshot_file))
    assert result.returncode == 2 and "no user or role named 'ghost'" in result.stderr


def test_a_chained_path_assumes_a_role_then_passes_an_admin_role(snapshot_file):
    result = cli("hopper", "--snapshot", str(snapshot_file), "--output", "json")
    assert result.returncode == 1, result.stderr
    [path] = json.loads(result.stdout)["paths"]
    assert path["family"] == "passrole-compute" and path["hops"] == 2
    assert path["chain"] == [f"{ARN}:user/hopper", f"{ARN}:role/deployer"]
    assert path["target"] == f"{ARN}:role/fleet-admin"
    assert [(s["actor"], s["action"], s["resource"]) for s in path["steps"]] == [
        (f"{ARN}:user/hopper", "sts:AssumeRole", f"{ARN}:role/deployer"),
        (f"{ARN}:role/deployer", "iam:PassRole", f"{ARN}:role/fleet-admin"),
        (f"{ARN}:role/deployer", "ec2:RunInstances", "*")]
    assert all(s["statements"] for s in path["steps"])
    text = cli("hopper", "--snapshot", str(snapshot_file)).stdout
    assert f"2 moves: {ARN}:user/hopper -> {ARN}:role/deployer -> administrator" in text
    assert f"as {ARN}:role/deployer: iam:PassRole on {ARN}:role/fleet-admin" in text


def test_no_chain_when_the_trust_policy_does_not_name_the_user(snapshot_file):
    result = cli("stranger", "--snapshot", str(snapshot_file), "--output", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["paths"] == []
    result = cli("stranger", "--snapshot", str(snapshot_file))
    assert result.returncode == 0 and "none found" in result.stdout


def test_chains_are_bounded_and_cycle_safe(snapshot_file):
    """Roles that assume each other in a ring end the search; no chain is longer than MAX_MOVES."""
    from ztlab.explore.escalation import MAX_MOVES, escalations
    from ztlab.snapshot import AccountSnapshot

    snapshot = AccountSnapshot.load(snapshot_file)
    paths = escalations(snapshot)
    assert paths and all(1 <= p.moves <= MAX_MOVES for p in paths)
    assert all(len(set(p.chain)) == len(p.chain) for p in paths)
    ringer = escalations(snapshot, "ringer")
    assert [(p.method, p.chain) for p in ringer] == [
        ("CreateAccessKey", [f"{ARN}:user/ringer", f"{ARN}:role/ring-a", f"{ARN}:role/ring-b"])]
    # ring-c's password reset is a fourth move away from ringer, but one from ring-b
    assert {p.method for p in escalations(snapshot, "ring-b")} == {"CreateAccessKey", "UpdateLoginProfile"}


def test_the_candidate_filter_never_drops_a_target_the_engine_allows(snapshot_file):
    """The finder asks the engine only about targets whose answer could be yes: on this account,
    every (principal, action, target) the engine allows is among them."""
    from ztlab.access import caller_for
    from ztlab.explore.escalation import Finder, principals
    from ztlab.snapshot import AccountSnapshot

    snapshot = AccountSnapshot.load(snapshot_file)
    finder = Finder(snapshot)
    roles = [r for r in snapshot.iam.roles if "/aws-service-role/" not in r.arn]
    asked = {"sts:AssumeRole": roles, "iam:PassRole": roles, "iam:UpdateAssumeRolePolicy": roles,
             "iam:CreateAccessKey": snapshot.iam.users, "iam:UpdateLoginProfile": snapshot.iam.users}
    allowed = 0
    for arn in principals(snapshot):
        caller = caller_for(snapshot, arn)
        for action, targets in asked.items():
            kept = {t.arn for t in finder.candidates(caller, action, targets)}
            for target in targets:
                if finder.step(caller, action, target.arn) is not None:
                    allowed += 1
                    assert target.arn in kept, (arn, action, target.arn)
    assert allowed > 20
    # the trust alone lets trustee in: the filter must keep a role the caller's own policies never name
    trustee = caller_for(snapshot, f"{ARN}:user/trustee")
    assert finder.step(trustee, "sts:AssumeRole", f"{ARN}:role/named-trust") is not None
    assert [r.name for r in finder.candidates(trustee, "sts:AssumeRole", roles)] == ["named-trust"]
