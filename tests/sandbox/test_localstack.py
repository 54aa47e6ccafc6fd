"""LocalStack: endpoint resolution, health and missing services, and real operations on the runtime."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest

from tests.sandbox.conftest import run_ztlab
from ztlab.sandbox import SandboxError, connect, current_sandbox
from ztlab.sandbox.localstack_backend import resolve_localstack_endpoint
from ztlab.sandbox.process import pid_alive


def test_endpoint_resolution_follows_localstack_rules(monkeypatch: pytest.MonkeyPatch):
    for name in ("AWS_ENDPOINT_URL", "LOCALSTACK_HOST", "USE_SSL"):
        monkeypatch.delenv(name, raising=False)
    default = resolve_localstack_endpoint()
    assert (default.url, default.source) == ("http://localhost:4566", "default")
    monkeypatch.setenv("LOCALSTACK_HOST", "127.0.0.1:4599")
    assert resolve_localstack_endpoint().url == "http://127.0.0.1:4599"
    assert resolve_localstack_endpoint(configured="http://127.0.0.1:4600").url == "http://127.0.0.1:4600"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4601")
    assert resolve_localstack_endpoint(configured="http://127.0.0.1:4600").url == "http://127.0.0.1:4601"
    assert resolve_localstack_endpoint("http://127.0.0.1:4602/", "http://127.0.0.1:4600").url == "http://127.0.0.1:4602"


def test_nothing_listening_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(SandboxError, match="nothing that looks like moto or LocalStack"):
        connect(url)
    result = run_ztlab("sandbox", "start", "--backend", "localstack", "--endpoint-url", url)
    assert result.returncode == 1
    assert f"no LocalStack answers at {url}" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.localstack
@pytest.mark.xdist_group("localstack")
class TestRealLocalStack:
    def test_health_reports_the_missing_pro_services(self, localstack_sandbox):
        assert localstack_sandbox.backend == "localstack"
        assert localstack_sandbox.endpoint_url.startswith("http://127.0.0.1:")
        assert {"cloudtrail", "guardduty", "rds"} <= localstack_sandbox.missing_services
        assert not {"iam", "s3", "ec2", "kms", "sts"} & localstack_sandbox.missing_services
        # The claim holds: the community runtime really does not serve CloudTrail.
        from botocore.exceptions import ClientError

        with pytest.raises(ClientError, match="not included|not yet emulated|not implemented"):
            localstack_sandbox.clients()("cloudtrail").describe_trails()

    def test_connect_recognises_localstack_and_reports_missing_services(self, localstack_sandbox):
        info = connect(localstack_sandbox.endpoint_url)
        assert info.backend == "localstack" and "guardduty" in info.missing_services
        result = run_ztlab("sandbox", "start", "--backend", "localstack", "--endpoint-url", localstack_sandbox.endpoint_url)
        assert result.returncode == 0, result.stderr
        assert "cloudtrail" in result.stdout and "guardduty" in result.stdout and "moto" in result.stdout
        status = run_ztlab("sandbox", "status", "--json")
        assert {"cloudtrail", "guardduty", "rds"} <= set(json.loads(status.stdout)["missing_services"])
        assert not json.loads(status.stdout)["launched_by_ztlab"]
        # ztlab did not start that one (in this home): stop forgets it but leaves it running.
        assert "Forgot" in run_ztlab("sandbox", "stop").stdout
        assert connect(localstack_sandbox.endpoint_url).backend == "localstack"

    def test_iam_users_and_policies(self, localstack_sandbox):
        iam = localstack_sandbox.clients()("iam")
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        arn = iam.create_policy(PolicyName="ls-read", PolicyDocument=json.dumps(policy))["Policy"]["Arn"]
        iam.create_user(UserName="ls-alice")
        iam.attach_user_policy(UserName="ls-alice", PolicyArn=arn)
        attached = iam.list_attached_user_policies(UserName="ls-alice")["AttachedPolicies"]
        assert [p["PolicyArn"] for p in attached] == [arn]
        assert arn.startswith(f"arn:aws:iam::{localstack_sandbox.account_id}:")

    def test_s3_encryption_and_bucket_policy(self, localstack_sandbox):
        s3 = localstack_sandbox.clients()("s3")
        s3.create_bucket(Bucket="ls-encrypted-bucket")
        s3.put_bucket_encryption(Bucket="ls-encrypted-bucket", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}, "BucketKeyEnabled": True}]})
        policy = {"Version": "2012-10-17", "Statement": [{
            "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::ls-encrypted-bucket", "arn:aws:s3:::ls-encrypted-bucket/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        s3.put_bucket_policy(Bucket="ls-encrypted-bucket", Policy=json.dumps(policy))
        rule = s3.get_bucket_encryption(Bucket="ls-encrypted-bucket")["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert json.loads(s3.get_bucket_policy(Bucket="ls-encrypted-bucket")["Policy"])["Statement"][0]["Sid"] == "TlsOnly"

    def test_security_group_referencing_another_group(self, localstack_sandbox):
        ec2 = localstack_sandbox.clients()("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
        web = ec2.create_security_group(GroupName="ls-web", Description="web", VpcId=vpc)["GroupId"]
        app = ec2.create_security_group(GroupName="ls-app", Description="app", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web}]}])
        group = ec2.describe_security_groups(GroupIds=[app])["SecurityGroups"][0]
        pairs = [pair["GroupId"] for perm in group["IpPermissions"] for pair in perm["UserIdGroupPairs"]]
        assert pairs == [web]

    def test_kms_key_rotation(self, localstack_sandbox):
        kms = localstack_sandbox.clients()("kms")
        key = kms.create_key(Description="ls rotation")["KeyMetadata"]["KeyId"]
        assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
        kms.enable_key_rotation(KeyId=key)
        assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True


@pytest.mark.localstack
@pytest.mark.xdist_group("localstack")
def test_cli_launches_resets_and_stops_its_own_runtime(localstack_sandbox):
    """`ztlab sandbox start --backend localstack` with nothing configured launches the runtime itself."""
    from ztlab.sandbox.localstack_runtime import free_port

    started = run_ztlab("sandbox", "start", "--backend", "localstack", "--port", str(free_port()), "--json")
    assert started.returncode == 0, started.stderr
    info = json.loads(started.stdout)
    assert info["launched_by_ztlab"] and info["endpoint_url"].startswith("http://127.0.0.1:")
    clients = current_sandbox().clients()
    assert clients("sts").get_caller_identity()["Account"] == "000000000000"
    clients("s3").create_bucket(Bucket="ls-reset-me")
    reset = run_ztlab("sandbox", "reset")
    assert reset.returncode == 0, reset.stderr
    after = current_sandbox()
    assert after.endpoint_url == info["endpoint_url"], "a reset keeps the endpoint the learner exported"
    assert after.clients()("s3").list_buckets()["Buckets"] == []
    assert run_ztlab("sandbox", "stop").returncode == 0
    deadline = time.monotonic() + 15
    while pid_alive(after.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(after.pid) and not pid_alive(info["pid"])
