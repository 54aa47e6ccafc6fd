"""The engine is a foundation: it imports nothing else of ztlab, and no Textual, boto3 or network."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


def test_engine_imports_only_itself():
    code = ("import json, sys; import ztlab.policy, ztlab.policy.access, ztlab.policy.simulate, ztlab.policy.lint, "
            "ztlab.policy.actions; print(json.dumps(sorted(sys.modules)))")
    modules = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                        timeout=60).stdout)
    ours = [m for m in modules if m.startswith("ztlab") and m != "ztlab" and not m.startswith("ztlab.policy")]
    assert ours == []
    for heavy in ("textual", "boto3", "botocore", "moto", "socket", "http.client", "urllib.request"):
        assert heavy not in modules, heavy
