"""Time from process launch to the first painted screen: `ztlab` against a bare one-widget Textual app.

Both run as real processes in a pseudo-terminal (100x32) with nothing patched: the clock starts just
before the process is spawned and stops when the terminal shows the app's text. For ztlab it also
reports when the course itself is on screen (it loads after the first paint). Target: ratio <= 1.5.

Wall-clock times swing with machine load (other test runs), so the CPU time the process had used
when each marker appeared (from /proc, Linux only) is printed too: it is the steadier comparison.

    PYTHONPATH=$PWD python bench/tui_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare-app-ready")

Bare().run()
"""


def _strip(data: bytes) -> str:
    import re

    text = data.decode("utf-8", "replace")
    return re.sub(r"\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07", "", text)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


CPU: dict[str, list[float]] = {}


def time_to_text(argv: list[str], markers: list[str], env: dict[str, str], timeout: float = 20.0) -> list[float]:
    """Seconds from spawn until each marker has appeared on the terminal, in order.

    Also records the process's CPU seconds at each marker in CPU[marker]."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
    seen, times, buffer = 0, [], b""
    deadline = start + timeout
    try:
        while seen < len(markers) and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buffer += chunk
            # Escape codes may split words; compare on the text with them removed.
            text = _strip(buffer)
            while seen < len(markers) and markers[seen] in text:
                times.append(time.perf_counter() - start)
                CPU.setdefault(markers[seen], []).append(_cpu_seconds(pid))
                seen += 1
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if seen < len(markers):
        raise RuntimeError(f"{argv}: never showed {markers[seen]!r}; last screen text:\n{_strip(buffer)[-800:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="ztlab-bench-")
    env = {**os.environ, "ZTLAB_HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))}
    env.pop("NO_COLOR", None)
    bare_file = Path(home) / "bare_app.py"
    bare_file.write_text(BARE_APP)

    bare, first, content = [], [], []
    for _ in range(args.runs):  # interleaved so machine load affects both alike
        bare += time_to_text([sys.executable, str(bare_file)], ["bare-app-ready"], env)
        paint, loaded = time_to_text([sys.executable, "-m", "ztlab"], ["Next step", "Progress by principle"], env)
        # "Progress by principle" is drawn at first paint too; the course is on screen when a lesson is.
        first.append(paint)
        content.append(time_to_text([sys.executable, "-m", "ztlab"], ["lesson 1 of"], env)[0])

    med = statistics.median
    print(f"runs: {args.runs} (median)")
    print(f"bare one-widget Textual app, launch -> first paint: {med(bare) * 1000:7.0f} ms")
    print(f"ztlab, launch -> first paint:                      {med(first) * 1000:7.0f} ms")
    print(f"ztlab, launch -> course on screen:                 {med(content) * 1000:7.0f} ms")
    print(f"ratio first paint ztlab / bare: {med(first) / med(bare):.2f} (target <= 1.5)")
    bare_cpu, first_cpu = med(CPU["bare-app-ready"]), med(CPU["Next step"])
    print(f"CPU used by first paint: bare {bare_cpu * 1000:.0f} ms, ztlab {first_cpu * 1000:.0f} ms, "
          f"ratio {first_cpu / bare_cpu:.2f}; ztlab with the course on screen {med(CPU['lesson 1 of']) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
