"""The lab commands as learners and autograders use them: real `ztlab` subprocesses, the real
background sandbox, and the real `aws` CLI applying the learner's fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

LAB = "s3-least-privilege"
GOOD_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::nw-finance-exports",
         "Condition": {"StringLike": {"s3:prefix": "monthly/*"}, "Bool": {"aws:SecureTransport": "true"}}},
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::nw-finance-exports/monthly/*",
         "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ],
}


def aws_cli() -> str:
    beside = Path(sys.executable).parent / "aws"
    found = str(beside) if beside.exists() else shutil.which("aws")
    if not found:
        pytest.skip("the aws CLI is not installed (pip install awscli)")
    return found


def ztlab(*args: str, env=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, env=env, timeout=timeout)


def fix_script(tmp_path: Path, policy: dict) -> Path:
    document = tmp_path / "job-access.json"
    document.write_text(json.dumps(policy))
    script = tmp_path / "fix.sh"
    script.write_text(
        "set -euo pipefail\n"
        f"'{aws_cli()}' iam put-role-policy --role-name report-builder --policy-name job-access "
        f"--policy-document file://{document}\n"
    )
    return script


@pytest.fixture
def sandbox_stopped_after():
    yield
    ztlab("sandbox", "stop")


def test_learner_lifecycle_with_the_aws_cli(tmp_path, sandbox_stopped_after):
    started = ztlab("lab", "start", LAB)
    assert started.returncode == 0, started.stderr
    assert "is set up in the moto sandbox at http://127.0.0.1:" in started.stdout

    failing = ztlab("lab", "check", LAB)
    assert failing.returncode == 1
    assert "[FAIL] The job cannot write, delete or reconfigure anything" in failing.stdout
    assert "role/report-builder can s3:PutObject" in failing.stdout
    assert "RushedIntoProduction" in failing.stdout
    assert "Score 0/14" in failing.stdout
    assert "flashcard(s) are due now" in failing.stdout

    hint = ztlab("lab", "hint", LAB, "tls-only")
    assert hint.returncode == 0 and hint.stdout.startswith("Hint 1/1 for 'tls-only':")

    # The learner's own terminal: exports from `ztlab sandbox env`, then the real aws CLI.
    exports = ztlab("sandbox", "env", "--shell", "bash")
    assert exports.returncode == 0
    script = fix_script(tmp_path, GOOD_POLICY)
    applied = subprocess.run(["bash", "-c", exports.stdout + f"\nbash {script}"], capture_output=True, text=True,
                             env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, timeout=120)
    assert applied.returncode == 0, applied.stderr

    passing = ztlab("lab", "check", "--format", "json")
    assert passing.returncode == 0, passing.stdout
    report = json.loads(passing.stdout)
    assert report["passed"] is True and report["score"] == report["max_score"] == 14
    assert [o["status"] for o in report["objectives"]] == ["PASS"] * 6

    from ztlab.srs import ProgressStore

    with ProgressStore.open() as store:
        attempts = store.lab_attempts(LAB)
    assert len(attempts) == 1 and attempts[0].completed and attempts[0].hints_used == 1

    assert ztlab("lab", "stop").stdout.strip() == f"Lab '{LAB}' ended."
    after = ztlab("lab", "check")
    assert after.returncode == 2 and "no lab is in progress" in after.stderr


def test_status_and_hints_say_the_truth_about_the_lab_in_progress(tmp_path, sandbox_stopped_after):
    nothing = ztlab("lab", "status")
    assert nothing.returncode == 0 and "No lab is in progress" in nothing.stdout
    assert ztlab("lab", "start", LAB).returncode == 0
    status = ztlab("lab", "status")
    assert status.returncode == 0 and f"Lab in progress: {LAB}" in status.stdout and "Checks: 0" in status.stdout

    # A still-works objective that works but waits for a security fix is not a failure to repair.
    checked = ztlab("lab", "check")
    assert "[WAIT] The job can still list and read" in checked.stdout
    assert not [line for line in checked.stdout.splitlines() if line.startswith("[FAIL]") and "still works" in line]

    other = ztlab("lab", "hint", "mfa-for-humans")
    assert other.returncode == 2 and f"'{LAB}' is" in other.stderr and "no lab is in progress" not in other.stderr

    # The hint speaks about the account as it is now: the failing objective and the grader's evidence.
    hint = ztlab("lab", "hint")
    assert hint.returncode == 0 and "Failing now:" in hint.stdout and "Where:" in hint.stdout

    exports = ztlab("sandbox", "env", "--shell", "bash")
    applied = subprocess.run(["bash", "-c", exports.stdout + f"\nbash {fix_script(tmp_path, GOOD_POLICY)}"],
                             capture_output=True, text=True,
                             env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, timeout=120)
    assert applied.returncode == 0, applied.stderr
    done = ztlab("lab", "hint")
    assert done.returncode == 0 and "nothing left to hint at" in done.stdout
    asked = ztlab("lab", "hint", LAB, "tls-only")
    assert asked.returncode == 0 and "nothing left to hint at" in asked.stdout


def test_autograder_passes_a_correct_script_and_writes_junit(tmp_path):
    result = ztlab("lab", "grade", LAB, "--apply", str(fix_script(tmp_path, GOOD_POLICY)), "--format", "junit")
    assert result.returncode == 0, result.stdout + result.stderr
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite.get("tests") == "6" and suite.get("failures") == "0"
    assert "ran fix.sh: ok" in result.stderr


def test_autograder_fails_an_over_broad_fix_with_points_per_objective(tmp_path):
    broad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]}
    result = ztlab("lab", "grade", LAB, "--apply", str(fix_script(tmp_path, broad)), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    by_id = {o["id"]: o for o in report["objectives"]}
    assert by_id["no-writes-or-admin"]["status"] == "PASS" and by_id["no-writes-or-admin"]["awarded"] == 3
    assert by_id["only-the-monthly-prefix"]["status"] == "FAIL" and by_id["only-the-monthly-prefix"]["awarded"] == 0
    assert "nw-payroll-records" in by_id["only-the-monthly-prefix"]["message"]
    assert 0 < report["score"] < report["max_score"]


def test_autograder_reference_and_usage_errors(tmp_path):
    assert ztlab("lab", "grade", LAB, "--reference").returncode == 0
    missing = ztlab("lab", "grade", LAB)
    assert missing.returncode == 2 and "--apply" in missing.stderr
    unknown = ztlab("lab", "grade", "no-such-lab", "--reference")
    assert unknown.returncode == 2 and "no lab 'no-such-lab'" in unknown.stderr
    absent = ztlab("lab", "grade", LAB, "--apply", str(tmp_path / "nope.sh"))
    assert absent.returncode == 2 and "no such file" in absent.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr + absent.stderr


def test_lab_list_and_show():
    listed = json.loads(ztlab("lab", "list", "--format", "json").stdout)
    entry = next(l for l in listed if l["id"] == LAB)
    assert entry["points"] == 14 and "least-privilege" in entry["principles"]
    shown = ztlab("lab", "show", LAB)
    assert "Northwind Analytics" in shown.stdout and "tls-only" in shown.stdout


def test_ctrl_c_during_lab_start_says_what_state_the_lab_is_in(sandbox_stopped_after):
    import signal
    import time

    from ztlab.locations import locations

    state_file = locations().sandbox_state_file
    started = subprocess.Popen([sys.executable, "-m", "ztlab", "lab", "start", LAB], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    # The sandbox has just been spawned: its state file appears as it starts listening, before the
    # lab's set-up (a fixed delay stopped being "before the set-up" once a cold start took ~1 s).
    while not state_file.exists() and started.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    started.send_signal(signal.SIGINT)
    out, err = started.communicate(timeout=180)
    assert started.returncode == 130, out + err
    assert "Interrupted" in err and "Traceback" not in err and "Aborted!" not in err
    status = ztlab("lab", "status")
    assert status.returncode == 0
    if "set-up had finished" in err:  # a very fast machine: then it says so, and status agrees
        assert f"Lab in progress: {LAB}" in status.stdout
    else:
        assert f"ztlab lab start {LAB}" in err  # what to do next
