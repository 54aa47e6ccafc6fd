"""The real `ztlab` in a real terminal (tmux), driven like a person by scripts/tmux_smoke.sh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/test.sh installs it when run as root)")
def test_the_app_runs_in_tmux_and_opens_a_lesson():
    # Generous waits: CI machines run this beside the rest of the suite.
    # COLUMNS/LINES set by other tests in this worker would pin the app's size in tmux.
    env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}, "PYTHON": sys.executable, "SMOKE_TIMEOUT": os.environ.get("SMOKE_TIMEOUT", "90")}
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "tmux_smoke.sh")], env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tmux smoke: ok" in result.stdout
