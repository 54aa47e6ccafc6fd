"""The app and `ztlab review --plain` on one store in tmux: no card answered twice (scripts/tmux_shared_store.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (scripts/test.sh installs it when run as root)")
def test_the_app_and_the_plain_review_never_answer_a_card_twice():
    env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}, "PYTHON": sys.executable}
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "tmux_shared_store.sh")], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no card answered twice" in result.stdout and "tmux shared store: ok" in result.stdout
