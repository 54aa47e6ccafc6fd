"""Running a learner's grade script: its own environment, its own home, its own process group.

A script is untrusted code from a learner. It gets:
- an allow-listed environment: PATH, the locale, a throwaway HOME and TMPDIR, the sandbox's
  variables (endpoint, fake keys, the aws CLI config that pins every command to the sandbox) and
  the lab workspace. Nothing else of the grader's environment (no GITHUB_TOKEN, no
  ZTLAB_WORKSHOP_KEY, no ZTLAB_HOME), so it cannot find the grader's state by name;
- its own session and process group: on timeout the whole group is killed, and whatever the
  script left running in the background (in its session, or marked by RUN_MARKER) is killed when it exits (its output goes to a file, not
  a pipe, so a background child holding the pipe cannot make the grader wait for it);
- the grader waits for the script itself, not its orphans: `(sleep 90)& exit 0` is exit 0 now.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

# Variables a script may inherit as they are: how to find programs and how to print text.
INHERITED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TERM", "SYSTEMROOT")
OUTPUT_LIMIT = 4000
# Set to a fresh value for each run: a child that leaves the script's session (`setsid`) still
# inherits it, so it can be found and stopped too (short of one that also clears its environment).
RUN_MARKER = "ZTLAB_GRADE_RUN"
KILL_GRACE = 2.0


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


def script_environment(sandbox, home: Path, workspace: Path | None = None) -> dict[str, str]:
    """The whole environment of a grade script (see module doc); `home` is its throwaway HOME."""
    from ztlab.labs.workspace import ENV_VAR
    from ztlab.sandbox import learner_environment

    env = {name: os.environ[name] for name in INHERITED if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    tmp = home / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env.update({"HOME": str(home), "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1"})
    for key, value in learner_environment(sandbox.endpoint_url, sandbox.region, config_dir=home / ".aws").items():
        if value is not None:
            env[key] = value
    # learner_environment keeps the grader's PYTHONPATH after the CLI plugin's folder; a script gets the plugin only.
    env["PYTHONPATH"] = env["PYTHONPATH"].split(os.pathsep, 1)[0]
    if workspace is not None:
        env[ENV_VAR] = str(workspace)
    return env


def _stragglers(sid: int, marker: str) -> list[int]:
    """Every process the script left: those still in its session (even in a process group of their
    own), and those that left the session (`setsid`) but still carry the run's marker variable."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    needle = f"{RUN_MARKER}={marker}".encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            fields = raw[raw.rfind(")") + 2:].split()
            if len(fields) > 3 and fields[3] == str(sid):
                found.append(int(entry.name))
            elif needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_script(sid: int, marker: str, sig: int = signal.SIGKILL) -> None:
    """Signal the script's process group and every process it left behind."""
    if sys.platform == "win32":  # pragma: no cover - grade scripts target POSIX shells
        return
    try:
        os.killpg(sid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in _stragglers(sid, marker):
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _exited(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait up to `timeout` for the script itself to exit, leaving it unreaped (a zombie keeps its
    pid, so the process group it names stays ours until we have killed the rest of it)."""
    if not hasattr(os, "waitid"):  # pragma: no cover - no WNOWAIT: plain wait
        try:
            proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                return True
        except ChildProcessError:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.05)


def run_script(path: Path, sandbox, timeout: float, home: Path, workspace: Path | None = None) -> ScriptRun:
    """Run one script to its end (or `timeout`), then make sure nothing it started is left running."""
    output_file = home.parent / f"output-{path.stem}-{time.monotonic_ns()}.txt"
    marker = secrets.token_hex(8)
    env = dict(script_environment(sandbox, home, workspace), **{RUN_MARKER: marker})
    with open(output_file, "wb") as output:
        proc = subprocess.Popen(
            script_command(path), env=env, cwd=path.parent,
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT, start_new_session=True, close_fds=True,
        )
    note = ""
    try:
        if not _exited(proc, timeout):
            kill_script(proc.pid, marker, signal.SIGTERM)
            _exited(proc, KILL_GRACE)
            note = f"stopped after {timeout:.0f} s"
    finally:
        # Whatever the script left behind (background jobs, a daemon it started) goes with it, on
        # every way out of here: normal end, timeout, or the grader itself being interrupted. The
        # script is not reaped before this, so its id (which names the group) cannot be reused yet.
        kill_script(proc.pid, marker, signal.SIGKILL)
        returncode = proc.wait()
    if note:
        returncode = -1
    text = output_file.read_bytes().decode("utf-8", "replace")[-OUTPUT_LIMIT:]
    output_file.unlink(missing_ok=True)
    return ScriptRun(path, returncode, (text + ("\n" if text and note else "") + note) if note else text)
