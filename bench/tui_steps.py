"""In-app timings with the real app (Textual's Pilot, headless) on the built-in course and the
learner's real store: switching sections, and checking the lab in progress from its screen.
CPU is this process's (all threads); a check served by the sandbox spends its CPU there.

    python -m bench.tui_steps   (ZTLAB_HOME with a lab started)   -> one JSON line
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECTIONS = ["l", "r", "a", "t", "h"]  # lessons, review, labs, stats, home: each visited twice


async def measure() -> dict[str, list[float]]:
    from ztlab.labs.run_state import LabRun
    from ztlab.srs import ProgressStore
    from ztlab.tui import messages
    from ztlab.tui.app import ZtlabApp

    store = ProgressStore.open()
    app = ZtlabApp(progress=store)
    switches, checks, switches_cpu, checks_cpu = [], [], [], []
    async with app.run_test(size=(100, 32)) as pilot:
        while app.course is None:
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        for key in SECTIONS * 2:
            before = app.screen
            started, cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            while app.screen is before:
                await pilot.pause(0.001)
            await pilot.pause()
            switches.append(time.perf_counter() - started)
            switches_cpu.append(time.process_time() - cpu)
        run = LabRun.load()
        if run is not None:
            app.post_message(messages.OpenLab(run.lab_id))
            await pilot.pause(0.2)
            screen = app.screen
            while screen.busy:
                await pilot.pause(0.01)
            for _ in range(3):
                started, cpu = time.perf_counter(), time.process_time()
                screen._begin("check")
                await pilot.pause()
                while screen.busy:
                    await pilot.pause(0.005)
                checks.append(time.perf_counter() - started)
                checks_cpu.append(time.process_time() - cpu)
    store.close()
    return {"switch": switches, "check": checks, "switch_cpu": switches_cpu, "check_cpu": checks_cpu}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure())))
