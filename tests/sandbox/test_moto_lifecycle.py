"""The moto sandbox as a background process: start, reuse, reset, stop, stale state, busy ports, idle stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.sandbox.conftest import run_ztlab
from ztlab.locations import locations
from ztlab.sandbox import SandboxError, current_sandbox, ensure_running, reset_sandbox, stop_sandbox
from ztlab.sandbox.process import pid_alive
from ztlab.sandbox.state import read_state, write_state

pytestmark = pytest.mark.server


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_start_writes_a_state_file_and_serves_on_loopback(moto_sandbox):
    state = read_state(locations().sandbox_state_file)
    assert state is not None
    assert (state.backend, state.pid, state.port) == ("moto", moto_sandbox.pid, moto_sandbox.port)
    assert state.endpoint_url == f"http://127.0.0.1:{state.port}" == moto_sandbox.endpoint_url
    assert state.started_at <= time.time() and state.ztlab_version and state.backend_version
    sts = moto_sandbox.clients().client("sts")
    assert sts.get_caller_identity()["Account"] == moto_sandbox.account_id == "123456789012"


def test_starting_again_reuses_the_running_sandbox(moto_sandbox):
    again = ensure_running()
    assert (again.pid, again.endpoint_url) == (moto_sandbox.pid, moto_sandbox.endpoint_url)
    assert current_sandbox().pid == moto_sandbox.pid


def test_reset_empties_the_account(shared_moto):
    clients = shared_moto.clients()
    clients("s3").create_bucket(Bucket="reset-me-bucket")
    clients("iam").create_user(UserName="alice")
    key = clients("kms").create_key()["KeyMetadata"]["KeyId"]
    reset_sandbox(shared_moto)
    assert clients("s3").list_buckets()["Buckets"] == []
    assert clients("iam").list_users()["Users"] == []
    assert key not in {k["KeyId"] for k in clients("kms").list_keys()["Keys"]}
    assert clients("sts").get_caller_identity()["Account"] == shared_moto.account_id


def test_stop_ends_the_process_and_removes_the_state_file(moto_sandbox):
    assert stop_sandbox() == "stopped"
    assert not pid_alive(moto_sandbox.pid)
    assert not _listening(moto_sandbox.port)
    assert not locations().sandbox_state_file.exists()
    assert stop_sandbox() == "not-running"
    assert current_sandbox() is None


def test_a_killed_server_leaves_a_stale_file_that_is_cleaned_and_replaced(moto_sandbox):
    os.kill(moto_sandbox.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while pid_alive(moto_sandbox.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert locations().sandbox_state_file.exists(), "SIGKILL gives the server no chance to clean up"
    assert current_sandbox() is None
    assert not locations().sandbox_state_file.exists()
    fresh = ensure_running()
    assert fresh.pid != moto_sandbox.pid
    fresh.clients()("s3").list_buckets()


def test_a_pid_reused_by_another_program_is_never_killed(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with socket.socket() as sock:  # a port that nothing will answer on
            sock.bind(("127.0.0.1", 0))
            dead_port = sock.getsockname()[1]
        from ztlab.sandbox.state import SandboxState

        write_state(locations().sandbox_state_file, SandboxState(
            backend="moto", endpoint_url=f"http://127.0.0.1:{dead_port}", region="us-east-1",
            account_id="123456789012", started_at=time.time() - 3600, ztlab_version="0.1.0",
            pid=other.pid, process_started="proc:1", port=dead_port, token="stale",
        ))
        assert current_sandbox() is None
        assert not locations().sandbox_state_file.exists()
        assert stop_sandbox() == "not-running"
        assert other.poll() is None, "the unrelated process must survive"
    finally:
        other.kill()
        other.wait()


def test_a_corrupt_state_file_is_not_a_crash():
    path = locations().sandbox_state_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"backend": "moto", "pid": ')
    result = run_ztlab("sandbox", "status")
    assert result.returncode == 1 and "No sandbox is running" in result.stdout
    assert "Traceback" not in result.stderr
    assert not path.exists()


def test_a_busy_port_gives_a_clear_message_not_a_crash():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SandboxError, match=f"port {port} .* already in use"):
            ensure_running("moto", port=port)
        result = run_ztlab("sandbox", "start", "--port", str(port))
        assert result.returncode == 1
        assert "already in use" in result.stderr and "Traceback" not in result.stderr
    assert current_sandbox() is None
    # Without --port any free port is taken, so a busy default can never block a start.
    assert ensure_running("moto").port != port


def test_the_server_stops_itself_when_idle():
    info = ensure_running("moto", idle_minutes=0.02)  # 1.2 s without a request
    deadline = time.monotonic() + 15
    while pid_alive(info.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(info.pid)
    assert not locations().sandbox_state_file.exists()
    assert "idle limit" in open(info.log_file).read()


def test_requests_are_not_logged_to_the_terminal_or_the_log(shared_moto):
    for _ in range(3):
        shared_moto.clients()("iam").list_users()
    log = open(shared_moto.log_file).read()
    assert "listening on" in log
    assert "HTTP/1.1" not in log and "POST /" not in log


def test_two_simultaneous_starts_end_with_one_sandbox():
    first = subprocess.Popen([sys.executable, "-m", "ztlab", "sandbox", "start", "--json"], stdout=subprocess.PIPE, text=True)
    second = run_ztlab("sandbox", "start", "--json")
    out_first, _ = first.communicate(timeout=60)
    pids = {json.loads(out_first)["pid"], json.loads(second.stdout)["pid"]}
    assert len(pids) == 1
    assert current_sandbox().pid in pids
