"""Lab timings per lab: start with a cold sandbox, start with a warm one, and check.

    PYTHONPATH=. python bench/labs_bench.py [--runs 3] [--lab ID ...]

Cold start = launch the background moto sandbox + reset + setup, in a process that has not talked
to AWS yet. Warm start = reset + setup with the sandbox and this process's clients already warm.
Check = read the lab's part of the account + grade every objective. Targets: cold start <= 2 s,
warm start <= 0.5 s, check <= 0.5 s. Runs in a throw-away ZTLAB_HOME and stops what it starts.
Figures are wall-clock and CPU seconds of this process (the server's CPU is not counted in CPU).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD_SCRIPT = """
import sys, time
t0 = time.perf_counter(); c0 = time.process_time()
from ztlab.content import load_course
from ztlab.labs import runtime
course, _ = load_course()
runtime.start(course, sys.argv[1])
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lab", action="append", help="only these labs")
    args = parser.parse_args()
    os.environ["ZTLAB_HOME"] = tempfile.mkdtemp(prefix="ztlab-labs-bench-")

    from ztlab.content import load_course
    from ztlab.labs import runtime
    from ztlab.labs.session import LabSession
    from ztlab.sandbox import stop_sandbox

    course, problems = load_course()
    if problems:
        sys.exit(f"content problems: {problems[0]}")
    lab_ids = args.lab or sorted(course.labs)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"{'lab':<28}{'cold start':>12}{'warm start':>12}{'check':>10}{'check cpu':>11}   (medians of {args.runs}, seconds)")
    rows = []
    try:
        for lab_id in lab_ids:
            cold, warm, check, check_cpu = [], [], [], []
            for _ in range(args.runs):
                stop_sandbox()
                out = subprocess.run([sys.executable, "-c", COLD_SCRIPT, lab_id], env=env, capture_output=True, text=True)
                if out.returncode != 0:  # show why the cold start failed, not only that it did
                    sys.exit(f"cold start of {lab_id} failed (exit {out.returncode}):\n{out.stderr}")
                cold.append(float(out.stdout.split()[0]))
                started = time.perf_counter()
                runtime.start(course, lab_id)
                warm.append(time.perf_counter() - started)
                started, cpu = time.perf_counter(), time.process_time()
                with LabSession.current(course, lab_id) as session:
                    session.check()
                check.append(time.perf_counter() - started)
                check_cpu.append(time.process_time() - cpu)
            row = [statistics.median(v) for v in (cold, warm, check, check_cpu)]
            rows.append(row)
            print(f"{lab_id:<28}{row[0]:>12.2f}{row[1]:>12.2f}{row[2]:>10.2f}{row[3]:>11.2f}")
    finally:
        stop_sandbox()
    worst = [max(r[i] for r in rows) for i in range(3)]
    for name, value, target in zip(("cold start", "warm start", "check"), worst, (2.0, 0.5, 0.5)):
        print(f"worst {name:<11} {value:6.2f} s  (target <= {target} s: {'met' if value <= target else 'MISSED'})")
    load = os.getloadavg()[0]
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
