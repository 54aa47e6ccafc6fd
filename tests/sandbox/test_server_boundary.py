"""Who may drive a sandbox server: the token stays secret, foreign Host names and learners' calls to
the emulator's control routes are refused, and whatever moto is asked to contact stays on loopback."""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.sandbox.guard import SocketGuard, write_sitecustomize
from ztlab.sandbox import ensure_running, reset_sandbox, stop_sandbox
from ztlab.sandbox.state import read_state

pytestmark = pytest.mark.server

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=b"" if method == "POST" else None)
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_health_never_hands_out_the_token_and_the_token_is_not_in_argv(moto_sandbox):
    from ztlab.locations import locations

    token = read_state(locations().sandbox_state_file).token
    assert token and len(token) >= 32
    status, body = call(moto_sandbox.endpoint_url + "/_ztlab/health")
    assert status == 200 and json.loads(body)["backend"] == "moto"
    assert token not in body
    status, body = call(moto_sandbox.endpoint_url + "/_ztlab/health?nonce=" + secrets.token_hex(8))
    assert token not in body and "proof" in json.loads(body)
    # `ps` shows every user the command line; the token must not be on it.
    assert token not in Path(f"/proc/{moto_sandbox.pid}/cmdline").read_bytes().decode(errors="replace")
    # ...and ztlab still recognises its own server (status, reuse) through the nonce proof.
    assert ensure_running().pid == moto_sandbox.pid


def test_a_foreign_host_header_is_refused_dns_rebinding(moto_sandbox):
    port = moto_sandbox.port
    for host in ("evil.example.com", f"evil.example.com:{port}", "127.0.0.1.nip.io", "attacker.localhost.example"):
        status, body = call(moto_sandbox.endpoint_url + "/", headers={"Host": host})
        assert status == 421, (host, status, body)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, _ = call(moto_sandbox.endpoint_url + "/_ztlab/health", headers={"Host": host})
        assert status == 200, host


def test_learner_calls_to_the_control_routes_are_refused_and_ztlab_keeps_its_own(moto_sandbox):
    s3 = moto_sandbox.clients()("s3")
    s3.create_bucket(Bucket="kept-bucket")
    for method, path in (("POST", "/moto-api/reset"), ("GET", "/moto-api/data.json"), ("POST", "/moto-api/seed?a=1"),
                         ("POST", "/moto-api/recorder/stop-recording"), ("GET", "/moto-api/"),
                         ("POST", "/_ztlab/anything")):
        status, body = call(moto_sandbox.endpoint_url + path, method=method)
        assert status == 403, (path, status)
        # A guessed or stale token is no better than none.
        status, _ = call(moto_sandbox.endpoint_url + path, method=method, headers={"X-Ztlab-Token": "0" * 32})
        assert status == 403, (path, status)
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["kept-bucket"]
    reset_sandbox(moto_sandbox)  # ztlab's own reset carries the token
    assert s3.list_buckets()["Buckets"] == []


def _publish_to_learner_endpoints(clients) -> None:
    sns = clients("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    for endpoint in ("http://10.0.0.1:8080/x", "http://learner-chosen.example/hook", "https://[2001:db8::1]/x",
                     "http://2130706433.example/x"):
        try:
            sns.subscribe(TopicArn=topic, Protocol=endpoint.split(":", 1)[0], Endpoint=endpoint)
        except Exception:  # moto may refuse or fail a subscription; the guard is what this test is about
            pass
    try:
        sns.publish(TopicArn=topic, Message="hello")
    except Exception:
        pass


def test_the_private_grading_server_never_connects_or_resolves_off_loopback(monkeypatch: pytest.MonkeyPatch):
    """The test's own guard sits under ztlab's: anything that reaches it got past ztlab (and is refused there)."""
    from ztlab.sandbox.ephemeral import ephemeral_moto

    guard = SocketGuard().install(monkeypatch)
    with ephemeral_moto() as box:
        _publish_to_learner_endpoints(box.clients())
    assert guard.violations == []


def test_the_background_server_never_connects_or_resolves_off_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    guard_log = tmp_path / "violations.log"
    site = write_sitecustomize(tmp_path / "guard-site")
    monkeypatch.setenv("ZTLAB_TEST_GUARD_LOG", str(guard_log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO_ROOT), str(site)]))
    info = ensure_running("moto")
    try:
        _publish_to_learner_endpoints(info.clients())
    finally:
        stop_sandbox(info)
    assert not guard_log.exists() or guard_log.read_text() == ""
