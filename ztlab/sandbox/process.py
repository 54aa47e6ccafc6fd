"""Background processes: liveness, identity (so a reused pid is never mistaken for ours), and stopping."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Popen objects for servers this Python process launched: waiting on them reaps the child,
# so a stopped server never lingers as a zombie that still "exists".
_children: dict[int, subprocess.Popen] = {}


def remember_child(proc: subprocess.Popen) -> None:
    _children[proc.pid] = proc


def _reap(pid: int) -> bool:
    """True if `pid` was our child and has exited (and is now reaped)."""
    proc = _children.get(pid)
    if proc is not None:
        if proc.poll() is not None:
            _children.pop(pid, None)
            return True
        return False
    if sys.platform == "win32":
        return False
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == pid
    except ChildProcessError:
        return False
    except OSError:
        return False


def _proc_stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; fields after the last ')' are fixed.
    return raw[raw.rfind(")") + 2 :].split()


def pid_alive(pid: int | None) -> bool:
    if not pid or pid <= 0:
        return False
    if _reap(pid):
        return False
    stat = _proc_stat(pid)
    if stat is not None:
        return stat[0] not in ("Z", "X")
    if sys.platform == "win32":  # pragma: no cover - ztlab's sandbox targets POSIX terminals
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def process_started(pid: int) -> str | None:
    """An opaque marker of when `pid` started; a reused pid gets a different one."""
    stat = _proc_stat(pid)
    if stat is not None and len(stat) > 19:
        return "proc:" + stat[19]
    try:
        out = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return "ps:" + text if text else None


def same_process(pid: int | None, started: str | None) -> bool:
    """Is `pid` still the very process we launched (alive, and not a new program on a reused pid)?"""
    if not pid_alive(pid):
        return False
    if started is None:
        return False
    return process_started(pid) == started  # type: ignore[arg-type]


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    proc = _children.get(pid)
    if proc is not None:
        try:
            proc.wait(timeout)
            _children.pop(pid, None)
            return True
        except subprocess.TimeoutExpired:
            return False
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.02)
    return not pid_alive(pid)


def terminate(pid: int, timeout: float = 5.0) -> str:
    """SIGTERM, then SIGKILL after `timeout`. Returns 'gone', 'terminated' or 'killed'."""
    if not pid_alive(pid):
        return "gone"
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return "gone"
    if wait_gone(pid, timeout):
        return "terminated"
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return "terminated"
    wait_gone(pid, 5.0)
    return "killed"
