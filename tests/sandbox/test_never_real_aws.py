"""ztlab never reaches real AWS: sandbox operations under a hostile AWS environment and a socket guard."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.sandbox.conftest import run_ztlab
from tests.sandbox.guard import SocketGuard, write_sitecustomize
from ztlab.sandbox import EndpointRefused, SandboxClients, connect, current_sandbox, ensure_running, reset_sandbox, stop_sandbox
from ztlab.sandbox.process import pid_alive

pytestmark = pytest.mark.server

REAL_LOOKING_KEY = "AKIAIOSFODNN7EXAMPLE"
REAL_LOOKING_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def hostile_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Everything a developer's real AWS set-up could leak into ztlab: keys, a profile whose
    credential_process leaves a trace if run, bogus endpoints, metadata and proxy settings."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    trace = tmp_path / "credential-process-ran"
    (home / ".aws" / "config").write_text(
        "[default]\nendpoint_url = https://bogus-default.example\n"
        "[profile production]\nregion = eu-west-1\nendpoint_url = https://bogus-profile.example\n"
        f"credential_process = {sys.executable} -c \"open({str(trace)!r}, 'w').write('ran')\"\n"
    )
    (home / ".aws" / "credentials").write_text(
        f"[production]\naws_access_key_id = {REAL_LOOKING_KEY}\naws_secret_access_key = {REAL_LOOKING_SECRET}\n"
    )
    for name, value in {
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": REAL_LOOKING_KEY,
        "AWS_SECRET_ACCESS_KEY": REAL_LOOKING_SECRET,
        "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
        "AWS_PROFILE": "production",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL": "https://example.invalid",
        "AWS_ENDPOINT_URL_S3": "https://s3.example.invalid",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.2/v2/credentials/x",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://169.254.169.254",
        "HTTP_PROXY": "http://proxy.invalid:3128",
        "HTTPS_PROXY": "http://proxy.invalid:3128",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    return trace


def test_sandbox_operations_stay_on_loopback_in_process(hostile_aws: Path, monkeypatch: pytest.MonkeyPatch):
    guard = SocketGuard().install(monkeypatch)
    info = ensure_running("moto")
    try:
        clients = info.clients()
        assert clients.region == "us-east-1"  # not AWS_DEFAULT_REGION=eu-west-1
        clients("s3").create_bucket(Bucket="guarded-bucket")
        clients("iam").create_user(UserName="guarded-user")
        # (EC2 is left out only for speed: its first call loads seconds of moto code.)
        clients("kms").create_key()
        assert clients("sts").get_caller_identity()["Account"] == "123456789012"
        assert current_sandbox().pid == info.pid

        # The background server got none of the user's AWS settings.
        environ = Path(f"/proc/{info.pid}/environ")
        if environ.exists():
            child_env = dict(item.split("=", 1) for item in environ.read_text().split("\0") if "=" in item)
            assert not {k for k in child_env if k.startswith("AWS_") and k != "AWS_EC2_METADATA_DISABLED"}
            assert REAL_LOOKING_KEY not in environ.read_text()

        reset_sandbox(info)
        assert clients("s3").list_buckets()["Buckets"] == []
    finally:
        stop_sandbox(info)
    assert not pid_alive(info.pid)
    assert guard.violations == []
    assert not hostile_aws.exists(), "the profile's credential_process must never run"


def test_cli_and_background_server_stay_on_loopback(hostile_aws: Path, tmp_path: Path):
    guard_log = tmp_path / "violations.log"
    site = write_sitecustomize(tmp_path / "guard-site")
    env = dict(os.environ, ZTLAB_TEST_GUARD_LOG=str(guard_log))
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(site)])

    started = run_ztlab("sandbox", "start", env=env)
    assert started.returncode == 0, started.stderr
    exports = run_ztlab("sandbox", "env", "--shell", "bash", env=env)
    assert "unset AWS_PROFILE" in exports.stdout and "unset AWS_SESSION_TOKEN" in exports.stdout
    assert REAL_LOOKING_KEY not in exports.stdout and "example.invalid" not in exports.stdout
    assert run_ztlab("sandbox", "reset", env=env).returncode == 0
    assert run_ztlab("sandbox", "status", env=env).returncode == 0
    assert run_ztlab("sandbox", "stop", env=env).returncode == 0

    assert not guard_log.exists() or guard_log.read_text() == ""
    assert not hostile_aws.exists()


@pytest.mark.parametrize("url", [
    "https://sts.amazonaws.com",
    "https://s3.eu-west-1.amazonaws.com",
    "http://10.1.2.3:4566",
    "http://192.168.1.20:4566",
    "http://example.com:4566",
    "ftp://127.0.0.1:4566",
])
def test_non_loopback_endpoints_are_refused_before_any_connection(url: str, monkeypatch: pytest.MonkeyPatch):
    guard = SocketGuard().install(monkeypatch)
    with pytest.raises(EndpointRefused) as refused:
        SandboxClients(url)
    assert "127.0.0.1" in str(refused.value)
    with pytest.raises(EndpointRefused):
        connect(url)
    assert guard.violations == []


def test_loopback_spellings_are_accepted():
    for url in ("http://127.0.0.1:4566", "http://localhost:4566", "http://[::1]:4566", "http://127.8.9.10:1"):
        assert SandboxClients(url).endpoint_url == url


def test_allowing_a_host_never_allows_real_aws(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZTLAB_ALLOWED_HOSTS", "localstack,s3.amazonaws.com")
    assert SandboxClients("http://localstack:4566").endpoint_url == "http://localstack:4566"
    with pytest.raises(EndpointRefused, match="real AWS"):
        SandboxClients("https://s3.amazonaws.com")


@pytest.mark.parametrize("args, env_endpoint, expected", [
    (["--backend", "localstack", "--endpoint-url", "http://10.1.2.3:4566"], None, "refusing endpoint 'http://10.1.2.3:4566'"),
    (["--backend", "localstack", "--endpoint-url", "https://ec2.us-east-1.amazonaws.com"], None, "real AWS"),
    (["--backend", "localstack"], "https://example.invalid", "refusing endpoint 'https://example.invalid'"),
])
def test_cli_refuses_remote_endpoints_with_exit_2(args, env_endpoint, expected, tmp_path: Path):
    guard_log = tmp_path / "violations.log"
    env = dict(os.environ, ZTLAB_TEST_GUARD_LOG=str(guard_log))
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(write_sitecustomize(tmp_path / "site"))])
    if env_endpoint:
        env["AWS_ENDPOINT_URL"] = env_endpoint
    result = run_ztlab("sandbox", "start", *args, env=env)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert not guard_log.exists()


@pytest.mark.parametrize("backend", ["moto", "localstack"])
def test_a_state_file_pointing_off_the_machine_is_never_probed(backend: str, monkeypatch: pytest.MonkeyPatch):
    import time

    from ztlab.locations import locations
    from ztlab.sandbox.state import SandboxState, write_state

    guard = SocketGuard().install(monkeypatch)
    write_state(locations().sandbox_state_file, SandboxState(
        backend=backend, endpoint_url="http://10.1.2.3:4566", region="us-east-1", account_id="123456789012",
        started_at=time.time(), ztlab_version="0.1.0", token="t",
    ))
    assert current_sandbox() is None
    assert not locations().sandbox_state_file.exists()
    assert guard.violations == []
