"""Run a command as a fresh process and measure it: wall seconds, and CPU seconds from the kernel's
own accounting of the child (os.wait4), so machine load shows up in wall time but hardly in CPU."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def run(argv: list[str], env: dict[str, str], *, cwd: Path | None = None, check: bool = False,
        timeout: float = 600.0) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the process and its children, exit code, output)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
    out = b""
    deadline = started + timeout
    # Read as it comes, so a chatty command never blocks on a full pipe; wait4 gives its rusage.
    assert child.stdout is not None
    for chunk in iter(lambda: child.stdout.read(65536), b""):
        out += chunk
        if time.perf_counter() > deadline:
            child.kill()
            break
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = out.decode("utf-8", "replace")
    if check and child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, child.returncode, text


def cpu_of(pid: int | None) -> float:
    """CPU seconds a running process has used so far (Linux /proc), 0 when unknown."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
