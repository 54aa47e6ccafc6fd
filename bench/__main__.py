"""Every speed figure of issue 14 in one run, each beside its same-run baseline.

    python -m bench [--runs 5] [--quick] [--lab s3-least-privilege]     (or: bash scripts/bench.sh)

Runs in a throw-away ZTLAB_HOME with its own sandbox, which it stops at the end. Process figures
are measured in fresh processes, interleaved (run 1 of every figure, then run 2, ...) so machine
load falls on all of them alike; each shows min and median wall time and CPU time (the kernel's
count for the process; for CLI commands the sandbox process's CPU during the command is added, as
it does the work for them). CPU is the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import processes  # noqa: E402


def ztlab(*args: str) -> list[str]:
    return [sys.executable, "-m", "ztlab", *args]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, step: str, figure: str, target: str, baseline: str = "") -> None:
        self.rows.append((step, figure, target, baseline))
        print(f"  {step}: {figure}", file=sys.stderr, flush=True)

    def render(self) -> str:
        head = ("step", "measured (min / median)", "target", "same-run baseline")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
    if not values:
        return "n/a"
    digits = 2 if unit == "s" else 1
    return f"{min(values) * scale:.{digits}f} / {statistics.median(values) * scale:.{digits}f} {unit}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def sandbox_pid() -> int | None:
    from ztlab.locations import locations
    from ztlab.sandbox.state import read_state

    state = read_state(locations().sandbox_state_file)
    return state.pid if state else None


def settle(pid: int | None, timeout: float = 120.0) -> None:
    """Wait until the sandbox process is idle (under 20 ms of CPU in half a second)."""
    deadline = time.monotonic() + timeout
    last = processes.cpu_of(pid)
    while pid and time.monotonic() < deadline:
        time.sleep(0.5)
        now = processes.cpu_of(pid)
        if now - last < 0.02:
            return
        last = now


def cli_figures(runs: int, lab: str, env: dict[str, str], table: Table) -> None:
    """Fresh CLI processes, interleaved; CPU includes what the sandbox process spent meanwhile."""
    commands = {
        "lab start, cold sandbox": ztlab("lab", "start", lab),
        "import boto3 (baseline)": [sys.executable, "-c", "import boto3"],
        "lab check, first after a cold start": ztlab("lab", "check"),
        # The case: the sandbox has served a check before (moto and botocore set up each
        # operation's routing, models and error shapes lazily, once per sandbox process).
        "lab check, warm sandbox": ztlab("lab", "check"),
        "lab start, warm sandbox": ztlab("lab", "start", lab),
        "lab hint": ztlab("lab", "hint"),
        "lab show": ztlab("lab", "show", lab),
        "lab list": ztlab("lab", "list"),
        "cards stats": ztlab("cards", "stats"),
        "cards due": ztlab("cards", "due"),
    }
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    processes.run(ztlab("lab", "start", lab), env, check=True)
    for _ in range(runs):
        for name, argv in commands.items():
            if name.startswith("lab start, cold"):
                processes.run(ztlab("sandbox", "stop"), env)
            else:
                settle(sandbox_pid())  # the sandbox's background warm-up is not the command's work
            before = processes.cpu_of(sandbox_pid())
            w, c, code, out = processes.run(argv, env)
            if code not in (0, 1):  # 1 = a check with failing objectives, which is normal here
                raise RuntimeError(f"{' '.join(argv[2:])} exited {code}:\n{out[-1500:]}")
            server = sandbox_pid()
            spent = processes.cpu_of(server) - before if not name.startswith("lab start, cold") else processes.cpu_of(server)
            wall[name].append(w)
            cpu[name].append(c + max(0.0, spent))
    boto3 = f"`import boto3`: {spread(wall['import boto3 (baseline)'])} wall, {spread(cpu['import boto3 (baseline)'])} CPU"
    targets = {"lab check, first after a cold start": "<= 0.5 s wall, <= 0.3 s CPU",
               "lab check, warm sandbox": "<= 0.5 s wall, <= 0.3 s CPU", "lab start, warm sandbox": "<= 0.5 s",
               "lab start, cold sandbox": "<= 2 s"}
    for name in commands:
        if name.startswith("import boto3"):
            continue
        table.add(name,
                  f"{spread(wall[name])} wall, {spread(cpu[name])} CPU", targets.get(name, "<= 0.3 s"), boto3)


def tui_figures(runs: int, env: dict[str, str], table: Table) -> None:
    import tui_bench

    home = Path(env["ZTLAB_HOME"])
    bare = home / "bare_app.py"
    bare.write_text(tui_bench.BARE_APP)
    tui_bench.CPU.clear()
    bare_w, paint_w, home_w = [], [], []
    for _ in range(runs):
        bare_w += tui_bench.time_to_text([sys.executable, str(bare)], ["bare-app-ready"], env)
        paint, numbers = tui_bench.time_to_text(ztlab(), ["Next step", "lesson 1 of"], env)
        paint_w.append(paint)
        home_w.append(numbers)
    bare_c, paint_c, home_c = tui_bench.CPU["bare-app-ready"], tui_bench.CPU["Next step"], tui_bench.CPU["lesson 1 of"]
    ratio_w = statistics.median(paint_w) / statistics.median(bare_w)
    ratio_c = statistics.median(paint_c) / statistics.median(bare_c)
    baseline = f"bare one-widget Textual app: {spread(bare_w)} wall, {spread(bare_c)} CPU"
    table.add("TUI first paint", f"{spread(paint_w)} wall, {spread(paint_c)} CPU; ratio {ratio_w:.2f} wall, {ratio_c:.2f} CPU",
              "<= 1.3x bare", baseline)
    table.add("TUI launch -> Home with real numbers", f"{spread(home_w)} wall, {spread(home_c)} CPU", "<= 1 s", baseline)
    steps = {"switch": [], "check": [], "switch_cpu": [], "check_cpu": []}
    for _ in range(max(1, runs // 2)):
        _, _, code, out = processes.run([sys.executable, "-m", "bench.tui_steps"], env, cwd=ROOT)
        if code == 0:
            found = json.loads(out.strip().splitlines()[-1])
            for key in steps:
                steps[key] += found[key]
    if steps["switch"]:
        table.add("TUI screen switch", f"p50 {statistics.median(steps['switch']) * 1000:.0f} ms wall, "
                  f"{statistics.median(steps['switch_cpu']) * 1000:.0f} ms CPU; max {max(steps['switch']) * 1000:.0f} ms wall",
                  "<= 100 ms")
    if steps["check"]:
        table.add("TUI check in the app", f"{spread(steps['check'])} wall, {spread(steps['check_cpu'])} CPU (app process)",
                  "<= 0.5 s")


def review_figures(runs: int, env: dict[str, str], table: Table, cache: Path) -> None:
    ours, anki, rss = [], [], []
    for _ in range(runs):
        _, _, code, out = processes.run([sys.executable, "-m", "bench.review", "--collection", str(cache)], env,
                                        cwd=ROOT, check=True)
        found = json.loads(out.strip().splitlines()[-1])
        ours += found["ztlab"]
        anki += found["baseline"]
        _, _, _, out = processes.run([sys.executable, "-m", "bench.review", "--collection", str(cache), "--rss"], env,
                                     cwd=ROOT, check=True)
        rss.append(json.loads(out.strip().splitlines()[-1])["peak_rss_mb"])
    table.add("review: next card + answer, 100k cards",
              f"p50 {statistics.median(ours) * 1000:.2f} ms, p99 {percentile(ours, 0.99) * 1000:.2f} ms",
              "<= 1 ms p50, <= 3 ms p99",
              f"Anki-shaped (indexed due query + FSRS + UPDATE + INSERT + COMMIT): p50 {statistics.median(anki) * 1000:.2f} ms, "
              f"p99 {percentile(anki, 0.99) * 1000:.2f} ms")
    table.add("peak RSS, 100k-card collection", f"{min(rss):.0f} / {statistics.median(rss):.0f} MB", "<= 100 MB", "Anki: 140 MB")


def snapshot_figure(env: dict[str, str], table: Table, resources: int) -> None:
    w, c, code, out = processes.run([sys.executable, str(ROOT / "bench" / "audit_bench.py"), "--resources", str(resources)],
                                    env, cwd=ROOT)
    line = next((l for l in out.splitlines() if "-resource account: snapshot" in l), out.strip().splitlines()[-1] if out.strip() else "failed")
    table.add(f"snapshot of a {resources}-resource account", line.strip(), "<= 3 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lab", default="s3-least-privilege")
    parser.add_argument("--quick", action="store_true", help="skip the 100k-card and 1,000-resource figures")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ztlab-bench-collection",
                        help="where the 100k-card collection is built once and kept")
    parser.add_argument("--only", choices=["cli", "tui", "review", "snapshot"], action="append")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="ztlab-bench-")
    os.environ["ZTLAB_HOME"] = home
    env = {**os.environ, "ZTLAB_HOME": home, "TERM": "xterm-256color", "COLORTERM": "truecolor",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    env.pop("NO_COLOR", None)
    parts = args.only or ["cli", "tui", "review", "snapshot"]
    # Byte code as `pip install .` leaves it: a shell with PYTHONDONTWRITEBYTECODE=1 (CI images,
    # some containers) would otherwise make every fresh process compile ztlab from source.
    compileall.compile_dir(ROOT / "ztlab", quiet=1)
    table = Table()
    started = time.time()
    load = os.getloadavg()[0]
    try:
        if "cli" in parts:
            cli_figures(args.runs, args.lab, env, table)
        if "tui" in parts:
            tui_figures(args.runs, env, table)
        if "review" in parts and not args.quick:
            review_figures(args.runs, env, table, args.cache)
        if "snapshot" in parts and not args.quick:
            snapshot_figure(env, table, 1000)
    finally:
        processes.run(ztlab("sandbox", "stop"), env)
    print(f"\n{args.runs} interleaved runs; load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"{time.time() - started:.0f} s\n")
    print(table.render())


if __name__ == "__main__":
    main()
