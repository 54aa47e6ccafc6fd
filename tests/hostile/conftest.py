"""Hostile input against the real `ztlab` command: each case runs it in a child process and checks
what a user would see (exit code, a one-line located message, no traceback) and that it finished.

The time bound is a hang detector, not a benchmark: CPU seconds of the child (immune to a loaded
machine), 5x what the case takes on a quiet one, plus a wall-clock ceiling that catches a child
blocked forever (a FIFO, /dev/zero).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

WALL_CEILING = 180.0


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    cpu: float

    @property
    def text(self) -> str:
        return self.out + self.err


def run_ztlab(*args: str | Path, cpu_limit: float, input: str | None = None, env: dict | None = None,
              cwd: Path | None = None, prefix: list[str] | None = None) -> Outcome:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    try:
        done = subprocess.run([*(prefix or []), sys.executable, "-m", "ztlab", *map(str, args)], capture_output=True, text=True,
                              input=input, env=full_env, cwd=cwd, timeout=WALL_CEILING)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ztlab {' '.join(map(str, args))} did not finish within {WALL_CEILING:.0f} s (a hang)")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    outcome = Outcome(done.returncode, done.stdout, done.stderr, cpu)
    assert "Traceback" not in outcome.text, outcome.text[-3000:]
    assert cpu <= cpu_limit, f"took {cpu:.1f} s of CPU (limit {cpu_limit} s): ztlab {' '.join(map(str, args))}"
    return outcome


@pytest.fixture
def ztlab():
    return run_ztlab
