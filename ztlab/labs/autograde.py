"""The autograder's one-shot run: a fresh private sandbox, setup, the learner's scripts, the check.

Scripts run as a learner would run them in their own terminal: `*.sh` with bash (using the `aws`
CLI), `*.py` with Python (using boto3), with the sandbox's endpoint and fake keys in the
environment and every real AWS variable removed.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ztlab.content import Course
from ztlab.labs.results import LabResult
from ztlab.labs.runtime import LabError, apply_solution, check_lab, get_lab, setup_lab


@dataclass
class ScriptRun:
    path: Path
    returncode: int
    output: str


def script_command(path: Path) -> list[str]:
    if path.suffix == ".py":
        return [sys.executable, str(path)]
    if path.suffix in (".sh", ".bash") or not os.access(path, os.X_OK):
        return ["bash", str(path)]
    return [str(path)]


def learner_env(sandbox, workspace: Path | None = None) -> dict[str, str]:
    from ztlab.labs.workspace import ENV_VAR
    from ztlab.sandbox import learner_environment

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for key, value in learner_environment(sandbox.endpoint_url, sandbox.region).items():
        if value is not None:
            env[key] = value
    if workspace is not None:
        env[ENV_VAR] = str(workspace)
    return env


def run_script(path: Path, sandbox, timeout: float, workspace: Path | None = None) -> ScriptRun:
    try:
        done = subprocess.run(script_command(path), env=learner_env(sandbox, workspace), cwd=path.parent, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return ScriptRun(path, done.returncode, (done.stdout + done.stderr)[-4000:])
    except subprocess.TimeoutExpired:
        return ScriptRun(path, -1, f"stopped after {timeout:.0f} s")


def grade(course: Course, lab_id: str, scripts: list[Path], *, reference: bool = False, trust_code: bool = False,
          timeout: float = 300.0, on_script=None) -> tuple[LabResult, list[ScriptRun]]:
    from ztlab.sandbox.ephemeral import ephemeral_moto

    lab = get_lab(course, lab_id)
    for script in scripts:
        if not script.is_file():
            raise LabError(f"--apply {script}: no such file")
    # The in-process moto server prints notes to stdout (e.g. for services it lacks); the report, which may
    # be JSON or JUnit on stdout, must stay parseable, so those prints are dropped for the run.
    with contextlib.redirect_stdout(io.StringIO()), ephemeral_moto() as sandbox, \
            tempfile.TemporaryDirectory(prefix=f"ztlab-{lab.id}-") as workspace_dir:
        workspace = Path(workspace_dir)
        names = setup_lab(course, lab, sandbox, trust_code=trust_code, workspace=workspace)
        runs: list[ScriptRun] = []
        if reference:
            apply_solution(course, lab, sandbox, names, trust_code=trust_code)
        for script in scripts:
            run = run_script(script.resolve(), sandbox, timeout, workspace)
            runs.append(run)
            if on_script:
                on_script(run)
        result = check_lab(lab, sandbox, names)
    return result, runs
