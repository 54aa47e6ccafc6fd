"""Key-press latency in the app while a lab check runs (target: <= 100 ms at the 95th percentile).

Drives the real app headless (Textual's Pilot) on the built-in course with the real sandbox: sets
up the first lab, then grades it again and again in the lab worker while pressing up/down on the
objectives table, timing each key from the key event until the app has handled it (the cursor
moved). The same
keys are timed with nothing running, for comparison.

    PYTHONPATH=$PWD python bench/tui_lab_latency.py [--keys 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def press_and_wait(pilot, table, key: str) -> float:
    """From the key event entering the app to the cursor having moved. (Pilot.press is not used:
    it waits for the whole process to go idle, which a grading thread never lets it do.)"""
    from textual import events

    before = table.cursor_row
    start = time.perf_counter()
    pilot.app.post_message(events.Key(key, None))
    while table.cursor_row == before:
        await asyncio.sleep(0.001)
    return (time.perf_counter() - start) * 1000


async def measure(keys: int) -> tuple[list[float], list[float], int]:
    from ztlab.srs import ProgressStore
    from ztlab.tui import messages
    from ztlab.tui.app import ZtlabApp

    store = ProgressStore.open()
    app = ZtlabApp(progress=store)
    idle, busy, checks = [], [], 0
    async with app.run_test(size=(120, 36)) as pilot:
        while app.course is None:
            await pilot.pause(0.05)
        lab_id = sorted(app.course.labs)[0]
        app.post_message(messages.OpenLab(lab_id))
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("s")
        while screen.busy:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        table = screen.query_one("#objectives")
        table.focus()
        directions = ["down", "up"] if table.row_count > 1 else None
        if directions is None:
            raise SystemExit("the first lab has a single objective: nothing to move between")
        for i in range(keys):
            idle.append(await press_and_wait(pilot, table, directions[i % 2]))
            await asyncio.sleep(0.02)
        i = 0
        while len(busy) < keys:
            if not screen.busy:
                screen._begin("check")
                checks += 1
                await pilot.pause(0.02)  # let the grader get going
            if screen.busy:  # only keys pressed while the grader is working count
                busy.append(await press_and_wait(pilot, table, directions[i % 2]))
                i += 1
                await asyncio.sleep(0.02)  # a person types at most ~50 keys a second
        while screen.busy:
            await pilot.pause(0.05)
    store.close()
    return idle, busy, checks


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"{name:<26} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {max(values):6.1f} ms   ({len(values)} keys)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ztlab-latency-") as home:
        os.environ["ZTLAB_HOME"] = home
        try:
            idle, busy, checks = asyncio.run(measure(args.keys))
        finally:
            from ztlab.sandbox import stop_sandbox

            stop_sandbox()
    print(describe("idle", idle))
    print(describe(f"during {checks} lab check(s)", busy))
    p95 = sorted(busy)[max(0, int(len(busy) * 0.95) - 1)]
    print(f"target p95 <= 100 ms during a check: {'met' if p95 <= 100 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
