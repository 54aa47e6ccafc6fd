"""Lab commands served by the warm sandbox process (labs/served.py): the same verdicts and messages
as the in-process path, only for ztlab itself (the sandbox's token), and never for another home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ztlab.locations import locations
from ztlab.sandbox.state import read_state

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

LAB = "s3-least-privilege"


def ztlab(*args: str, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def started_lab():
    started = ztlab("lab", "start", LAB)
    assert started.returncode == 0, started.stderr
    yield read_state(locations().sandbox_state_file)
    ztlab("sandbox", "stop")


def _post(state, op: str, headers: dict) -> int:
    request = urllib.request.Request(f"{state.endpoint_url}/_ztlab/labs/{op}", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_served_check_matches_the_in_process_check(started_lab):
    served = ztlab("lab", "check", "--format", "json")
    assert served.returncode == 1, served.stderr  # the lab starts insecure
    from ztlab.content import load_course_or_raise
    from ztlab.labs.session import LabSession

    with LabSession.current(load_course_or_raise(), LAB) as session:
        local = session.check().to_json()
    served_json = json.loads(served.stdout)
    assert [(o["id"], o["status"], o["where"]) for o in served_json["objectives"]] == \
        [(o["id"], o["status"], o["where"]) for o in local["objectives"]]
    hint = ztlab("lab", "hint")
    assert hint.returncode == 0 and hint.stdout.startswith("Hint 1/"), hint.stderr


def test_a_learners_tools_cannot_run_lab_commands_in_the_sandbox(started_lab):
    # The aws CLI and the learner's scripts hold the fake keys, not ztlab's token.
    assert _post(started_lab, "check", {}) == 403
    assert _post(started_lab, "start", {"X-Ztlab-Token": "not-the-token-0000"}) == 403


def test_errors_read_the_same_when_served(started_lab):
    wrong = ztlab("lab", "check", "org-guardrails")
    assert wrong.returncode == 2
    assert "is not the lab in progress: 's3-least-privilege' is" in wrong.stderr and "Traceback" not in wrong.stderr


def test_another_home_is_never_served(started_lab, tmp_path):
    # Same sandbox state (copied), other progress and lab-run files: the command runs in its own
    # process and finds no lab in progress there, instead of grading the first home's lab.
    other = {**os.environ, "ZTLAB_HOME": str(tmp_path / "other-home")}
    target = tmp_path / "other-home" / "state" / "sandbox"
    target.mkdir(parents=True)
    source = locations().sandbox_state_file
    (target / source.name).write_text(source.read_text())
    result = ztlab("lab", "check", env=other)
    assert result.returncode == 2 and "no lab is in progress" in result.stderr, result.stderr
