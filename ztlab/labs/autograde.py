"""The autograder's one-shot run: a fresh private sandbox, setup, the learner's scripts, the check.

Scripts run as a learner would run them in their own terminal: `*.sh` with bash (using the `aws`
CLI), `*.py` with Python (using boto3), with the sandbox's endpoint and fake keys in the
environment and nothing else of the grader's (script_runner.py says what they get). Everything
the grade makes on disk lives in one temp folder, removed on every way out, signals included.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from ztlab.content import Course
from ztlab.labs.results import LabResult
from ztlab.labs.runtime import LabError, apply_solution, check_lab, get_lab, setup_lab
from ztlab.labs.script_runner import ScriptRun, run_script, script_command
from ztlab.sandbox.process import pid_alive

__all__ = ["ScriptRun", "grade", "run_script", "script_command"]


TEMP_PREFIX = "ztlab-grade-"


def _sweep_stale_folders() -> None:
    """Remove the temp folders of graders that died without cleaning up (SIGKILL, power loss):
    each folder's name carries its grader's pid."""
    root = Path(tempfile.gettempdir())
    for folder in root.glob(TEMP_PREFIX + "*"):
        try:
            pid = int(folder.name[len(TEMP_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not pid_alive(pid) and folder.is_dir() and folder.stat().st_uid == os.getuid():
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the grade like Ctrl+C does: through every `finally`, so scripts are
    killed and temp folders removed, instead of the process vanishing mid-way."""
    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def grade(course: Course, lab_id: str, scripts: list[Path], *, reference: bool = False, trust_code: bool = False,
          timeout: float = 300.0, on_script=None) -> tuple[LabResult, list[ScriptRun]]:
    from ztlab.sandbox.ephemeral import ephemeral_moto

    lab = get_lab(course, lab_id)
    for script in scripts:
        if not script.is_file():
            raise LabError(f"--apply {script}: no such file")
    # The in-process moto server prints notes to stdout (e.g. for services it lacks); the report, which may
    # be JSON or JUnit on stdout, must stay parseable, so those prints are dropped for the run.
    _sweep_stale_folders()
    with _stopped_by_signals(), contextlib.redirect_stdout(io.StringIO()), ephemeral_moto() as sandbox, \
            tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-{lab.id}-") as folder:
        workspace = Path(folder) / "workspace"
        workspace.mkdir()
        names = setup_lab(course, lab, sandbox, trust_code=trust_code, workspace=workspace)
        runs: list[ScriptRun] = []
        if reference:
            apply_solution(course, lab, sandbox, names, trust_code=trust_code)
        for script in scripts:
            home = Path(tempfile.mkdtemp(prefix="home-", dir=folder))
            run = run_script(script.resolve(), sandbox, timeout, home, workspace)
            runs.append(run)
            if on_script:
                on_script(run)
        result = check_lab(lab, sandbox, names)
    return result, runs
