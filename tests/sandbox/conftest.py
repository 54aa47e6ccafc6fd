"""Sandbox test fixtures: real servers on 127.0.0.1, each stopped when its test (or module) ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_ztlab(*args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m ztlab ...` as a user runs it, with this checkout first on the path."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *[p for p in environment.get("PYTHONPATH", "").split(os.pathsep) if p]])
    return subprocess.run(
        [sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, env=environment, input=input, timeout=timeout,
    )


@pytest.fixture(autouse=True)
def _no_warm_up(monkeypatch: pytest.MonkeyPatch):
    """Tests start many short-lived servers on 2 cores: skip the background EC2 warm-up."""
    monkeypatch.setenv("ZTLAB_SANDBOX_WARM_UP", "0")


@pytest.fixture(autouse=True)
def _stop_sandbox_after_test(ztlab_home: Path, _no_warm_up):
    """Whatever a test started in its ZTLAB_HOME (through the API or the CLI) is stopped after it."""
    yield
    from ztlab.sandbox import stop_sandbox

    os.environ["ZTLAB_HOME"] = str(ztlab_home)
    stop_sandbox()


@pytest.fixture
def moto_sandbox():
    from ztlab.sandbox import ensure_running, stop_sandbox

    info = ensure_running("moto")
    yield info
    stop_sandbox(info)


@pytest.fixture(scope="module")
def shared_moto(tmp_path_factory: pytest.TempPathFactory):
    """One moto sandbox for a whole test module (its own home); tests reset it as they need."""
    from ztlab.sandbox import ensure_running, stop_sandbox

    home = tmp_path_factory.mktemp("shared-sandbox-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZTLAB_HOME", str(home))
        patch.setenv("ZTLAB_SANDBOX_WARM_UP", "0")
        info = ensure_running("moto")
    yield info
    stop_sandbox(info)


def localstack_skip_reason() -> str | None:
    """Why the LocalStack tests cannot run here, or None. scripts/test.sh installs the runtime and
    exports ZTLAB_LOCALSTACK_VENV, or ZTLAB_LOCALSTACK_SKIP_REASON when the install failed."""
    from ztlab.sandbox.localstack_runtime import runtime_installed

    reason = os.environ.get("ZTLAB_LOCALSTACK_SKIP_REASON")
    if reason:
        return f"LOCALSTACK TESTS SKIPPED: {reason}"
    venv = os.environ.get("ZTLAB_LOCALSTACK_VENV")
    if not venv or not runtime_installed(Path(venv)):
        return (
            "LOCALSTACK TESTS SKIPPED: no LocalStack runtime installed; run `bash scripts/install-localstack.sh DIR` "
            "and set ZTLAB_LOCALSTACK_VENV=DIR (scripts/test.sh does both)"
        )
    return None


@pytest.fixture(scope="session")
def localstack_sandbox(tmp_path_factory: pytest.TempPathFactory):
    """One real LocalStack runtime (host mode, its own venv) for the whole session, on a free port.
    Tests that use it are marked `localstack` and grouped on one xdist worker."""
    reason = localstack_skip_reason()
    if reason:
        pytest.skip(reason)
    from ztlab.sandbox import ensure_running, stop_sandbox
    from ztlab.sandbox.localstack_runtime import free_port

    home = tmp_path_factory.mktemp("localstack-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZTLAB_HOME", str(home))
        for name in ("AWS_ENDPOINT_URL", "LOCALSTACK_HOST"):
            patch.delenv(name, raising=False)
        info = ensure_running("localstack", port=free_port())
    yield info
    stop_sandbox(info)
