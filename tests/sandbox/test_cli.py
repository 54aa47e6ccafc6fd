"""`ztlab sandbox ...` as a user runs it: subprocesses, real server, the aws CLI in a real shell."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.sandbox.conftest import run_ztlab
from ztlab.sandbox import current_sandbox, learner_environment
from ztlab.sandbox.shell_env import format_exports

pytestmark = pytest.mark.server


def test_start_status_reset_stop_round_trip():
    started = run_ztlab("sandbox", "start", "--json")
    assert started.returncode == 0, started.stderr
    info = json.loads(started.stdout)
    assert info["backend"] == "moto" and info["endpoint_url"].startswith("http://127.0.0.1:") and not info["reused"]

    again = run_ztlab("sandbox", "start")
    assert again.returncode == 0 and "reusing" in again.stdout and info["endpoint_url"] in again.stdout

    status = run_ztlab("sandbox", "status", "--json")
    assert status.returncode == 0
    assert json.loads(status.stdout)["pid"] == info["pid"]
    human = run_ztlab("sandbox", "status")
    assert "moto" in human.stdout and info["endpoint_url"] in human.stdout and f"pid {info['pid']}" in human.stdout

    current_sandbox().clients()("s3").create_bucket(Bucket="cli-reset-bucket")
    reset = run_ztlab("sandbox", "reset")
    assert reset.returncode == 0 and "reset" in reset.stdout
    assert current_sandbox().clients()("s3").list_buckets()["Buckets"] == []

    stopped = run_ztlab("sandbox", "stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    after = run_ztlab("sandbox", "status", "--json")
    assert after.returncode == 1 and json.loads(after.stdout) == {"running": False}


def test_reset_without_a_sandbox_says_how_to_start_one():
    result = run_ztlab("sandbox", "reset")
    assert result.returncode == 1
    assert "ztlab sandbox start" in result.stderr and "Traceback" not in result.stderr


def test_env_exports_drive_the_real_aws_cli_against_the_sandbox(tmp_path):
    if shutil.which("aws") is None and not (os.path.dirname(sys.executable) and os.path.exists(os.path.join(os.path.dirname(sys.executable), "aws"))):
        pytest.skip("the aws CLI is not installed")
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["AWS_PROFILE"] = "production"  # must be unset by the exports, or the aws CLI fails on it
    # Each of these would send calls to real AWS if the exports left it in place.
    env["AWS_ENDPOINT_URL_S3"] = "https://s3.example.invalid"
    env["AWS_ENDPOINT_URL_STS"] = "https://sts.example.invalid"
    env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
    script = f'eval "$({sys.executable} -m ztlab sandbox env --shell bash)" && aws s3api create-bucket --bucket from-the-shell >/dev/null && aws sts get-caller-identity --output json'
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Account"] == "123456789012"
    buckets = current_sandbox().clients()("s3").list_buckets()["Buckets"]
    assert [b["Name"] for b in buckets] == ["from-the-shell"]


def test_env_formats_for_every_shell():
    env = learner_environment("http://127.0.0.1:4566")
    for shell, set_line, unset_line in (
        ("bash", "export AWS_ENDPOINT_URL=http://127.0.0.1:4566", "unset AWS_PROFILE"),
        ("zsh", "export AWS_ENDPOINT_URL=http://127.0.0.1:4566", "unset AWS_PROFILE"),
        ("fish", "set -gx AWS_ENDPOINT_URL http://127.0.0.1:4566;", "set -e AWS_PROFILE;"),
        ("powershell", "$Env:AWS_ENDPOINT_URL = 'http://127.0.0.1:4566'", "Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue"),
    ):
        lines = format_exports(env, shell).splitlines()
        assert set_line in lines and unset_line in lines, shell


def test_shell_opens_bash_with_the_sandbox_and_a_prompt_marker(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # A user's .bashrc that would point at real AWS must not win inside the sandbox shell.
    (home / ".bashrc").write_text("export AWS_PROFILE=production\nexport AWS_ENDPOINT_URL=https://example.invalid\n")
    env = dict(os.environ, SHELL=shutil.which("bash") or "/bin/bash", HOME=str(home), AWS_PROFILE="production")
    result = run_ztlab(
        "sandbox", "shell", env=env,
        input='echo "endpoint=$AWS_ENDPOINT_URL profile=${AWS_PROFILE-unset} marker=$ZTLAB_SANDBOX_SHELL"\nexit\n',
    )
    assert result.returncode == 0, result.stderr
    endpoint = current_sandbox().endpoint_url
    assert f"endpoint={endpoint} profile=unset marker=1" in result.stdout
    assert "(ztlab-sandbox)" in result.stderr  # bash writes the interactive prompt to stderr


def test_a_settings_file_with_a_mistake_is_reported_not_a_traceback(ztlab_home):
    (ztlab_home / "config").mkdir(parents=True, exist_ok=True)
    (ztlab_home / "config" / "config.yaml").write_text("backend: docker\n")
    result = run_ztlab("sandbox", "start")
    assert result.returncode == 1
    assert "config.yaml" in result.stderr and "backend" in result.stderr and "Traceback" not in result.stderr


def test_shell_works_with_a_plain_posix_shell(tmp_path):
    sh = shutil.which("sh") or "/bin/sh"
    env = dict(os.environ, SHELL=sh, HOME=str(tmp_path), AWS_PROFILE="production")
    result = run_ztlab("sandbox", "shell", env=env, input='echo "endpoint=$AWS_ENDPOINT_URL profile=${AWS_PROFILE-unset}"\n')
    assert result.returncode == 0, result.stderr
    assert f"endpoint={current_sandbox().endpoint_url} profile=unset" in result.stdout
