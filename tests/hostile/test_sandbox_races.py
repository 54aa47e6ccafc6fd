"""A reset sent while the sandbox is still warming up waits for the warm-up instead of racing it.

moto's reset walks the backends the warm-up thread is still building; before the gate serialised
them, a reset right after a cold start once failed with HTTP 500 ("dictionary changed size during
iteration") and so did the `lab start` that sent it. The race is narrow and did not reproduce on
demand with the pinned moto, so this test guards what the learner sees (every reset in the first
second succeeds, and so does every reset while EC2's modules are imported once the sandbox is idle;
the account works after) rather than the interleaving itself.
"""

from __future__ import annotations

import time

import pytest

from tests.hostile.conftest import run_ztlab
from ztlab.sandbox import current_sandbox
from ztlab.sandbox.moto_backend import reset_moto

pytestmark = pytest.mark.server  # starts a real sandbox


def test_resets_right_after_a_cold_start_all_succeed(ztlab_home, monkeypatch):
    monkeypatch.setenv("ZTLAB_SANDBOX_WARM_UP", "1")
    started = run_ztlab("sandbox", "start", cpu_limit=30)
    try:
        assert started.code == 0, started.text
        sandbox = current_sandbox()
        for _ in range(20):  # as fast as one client can, while the warm-up runs
            reset_moto(sandbox)  # raises on anything but HTTP 200
        time.sleep(0.6)  # idle: the sandbox now imports EC2's modules ahead of use (~1 s)
        for _ in range(20):
            reset_moto(sandbox)
        reset = run_ztlab("sandbox", "reset", cpu_limit=30)
        assert reset.code == 0 and "reset" in reset.out, reset.text
        s3 = current_sandbox().clients()("s3")
        s3.create_bucket(Bucket="after-the-warm-up")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["after-the-warm-up"]
    finally:
        run_ztlab("sandbox", "stop", cpu_limit=30)
