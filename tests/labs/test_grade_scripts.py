"""A learner's grade script is untrusted code: it sees none of the grader's secrets or state, cannot
empty the private account, leaves no process behind, and the grade leaves no temp folder behind,
however it ends (script timeout, the grader stopped by SIGTERM or Ctrl+C)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.server

LAB = "s3-least-privilege"


def course():
    from ztlab.content import load_course

    loaded, _ = load_course([], include_builtin=True)
    return loaded


def grade(scripts: list[Path], **kwargs):
    from ztlab.labs import autograde

    runs = []
    result, _ = autograde.grade(course(), LAB, scripts, on_script=runs.append, **kwargs)
    return result, runs


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in entry.joinpath("cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def grade_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("ztlab-grade-*")}


def test_a_script_sees_an_allow_listed_environment_and_its_own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name, value in {"GITHUB_TOKEN": "ghp_secret_grader_token", "ZTLAB_WORKSHOP_KEY": "workshop-key-secret",
                        "SOME_CI_PASSWORD": "hunter2"}.items():
        monkeypatch.setenv(name, value)
    real_home = os.environ.get("HOME", "")
    script = tmp_path / "look.sh"
    script.write_text('env; echo "home=$HOME"; touch "$HOME/mine" && echo home-writable; exit 1\n')
    _, runs = grade([script])
    output = runs[0].output
    for secret in ("ghp_secret_grader_token", "workshop-key-secret", "hunter2", "ZTLAB_HOME", os.environ["ZTLAB_HOME"]):
        assert secret not in output, secret
    home = next(line for line in output.splitlines() if line.startswith("home="))[5:]
    assert home != real_home and Path(tempfile.gettempdir()) in Path(home).parents
    assert "home-writable" in output
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:" in output


def test_a_script_cannot_empty_the_private_account(tmp_path: Path):
    """The reference solution passes; a script that then calls the emulator's reset must not undo it."""
    script = tmp_path / "wipe.py"
    script.write_text(
        "import os, urllib.request\n"
        "for path in ('/moto-api/reset', '/moto-api/seed?a=7', '/moto-api/recorder/reset-recording'):\n"
        "    request = urllib.request.Request(os.environ['AWS_ENDPOINT_URL'] + path, method='POST', data=b'')\n"
        "    try:\n"
        "        urllib.request.urlopen(request, timeout=10); print('accepted', path)\n"
        "    except Exception as exc:\n"
        "        print('refused', path, exc)\n"
    )
    result, runs = grade([script], reference=True)
    assert "accepted" not in runs[0].output and "refused /moto-api/reset" in runs[0].output
    assert result.passed, [(o.id, o.status) for o in result.objectives]


def test_the_grader_waits_for_the_script_not_its_background_children(tmp_path: Path):
    script = tmp_path / "background.sh"
    script.write_text("(sleep 90.4242)&\nfor i in 1 2 3 4 5; do sleep 91.4242 & done\nexit 0\n")
    started = time.monotonic()
    _, runs = grade([script], timeout=60)
    assert runs[0].returncode == 0, runs[0].output
    assert time.monotonic() - started < 45, "the grade waited for the script's background children"
    assert processes_with(".4242") == [], "background children outlived the grade"


def test_a_timed_out_script_is_stopped_with_everything_it_started(tmp_path: Path):
    script = tmp_path / "slow.sh"
    script.write_text("for i in $(seq 1 10); do sleep 600.4343 & done\n"
                      "setsid sleep 600.4343 &\n"           # its own session: still the script's doing
                      "sleep 600.4343\n")
    _, runs = grade([script], timeout=3)
    assert runs[0].returncode == -1 and "stopped after 3 s" in runs[0].output
    deadline = time.monotonic() + 10
    while processes_with("600.4343") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with("600.4343") == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_grader_removes_its_temp_folder_and_kills_the_script(sig: int, tmp_path: Path):
    marker = f"700.{int(sig)}{os.getpid()}"
    script = tmp_path / "forever.sh"
    script.write_text(f"sleep {marker} &\nsleep {marker}\n")
    before = grade_folders()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    grader = subprocess.Popen([sys.executable, "-m", "ztlab", "lab", "grade", LAB, "--apply", str(script)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while len(processes_with(marker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_with(marker), "the script never started"
        assert grade_folders() - before, "the grade's temp folder was not where expected"
        grader.send_signal(sig)
        grader.wait(timeout=60)
    finally:
        if grader.poll() is None:
            grader.kill()
    assert grader.returncode != 0
    assert "Traceback" not in grader.stderr.read().decode(errors="replace")
    assert grade_folders() - before == set()
    assert processes_with(marker) == []


def test_folders_of_a_grader_killed_outright_are_removed_by_the_next_grade(tmp_path: Path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = Path(tempfile.gettempdir()) / f"ztlab-grade-{dead.pid}-{LAB}-stale"
    (stale / "workspace").mkdir(parents=True)
    script = tmp_path / "ok.sh"
    script.write_text("exit 0\n")
    grade([script])
    assert not stale.exists()
