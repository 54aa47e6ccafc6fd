"""A workshop learner reads their own variant's names in the app, exactly as `ztlab lab show` prints them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.tui.conftest import SIZE, settle
from ztlab.content import load_course_or_raise
from ztlab.labs.variants import pick_variant
from ztlab.workshop import load_workshop, variant_seed

PACK = Path(__file__).resolve().parents[1] / "workshop" / "packs" / "variant-pack"
LAB = "variant-least-privilege"


async def test_the_lab_screen_and_lab_show_name_the_learners_own_bucket(make_app, tmp_path, monkeypatch):
    from ztlab.tui.screens.lab import LabScreen

    workshop = tmp_path / "class.yaml"
    workshop.write_text(f"title: Variants\nkey: k-0123456789abcdef\nvariant_seed: autumn\nitems:\n  - {{lab: {LAB}, minutes: 20}}\n")
    monkeypatch.setenv("ZTLAB_WORKSHOP", str(workshop))
    monkeypatch.setenv("ZTLAB_LEARNER", "Grace Hopper")
    course = load_course_or_raise([PACK])
    lab = course.labs[LAB]
    mine = pick_variant(lab, variant_seed(load_workshop(workshop, course).workshop, "Grace Hopper"))

    app = make_app(content_dirs=[PACK], include_builtin=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(LabScreen(LAB))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        shown = screen.lab
        assert mine["exports_bucket"] in shown.briefing and "${" not in shown.briefing
        assert all("${" not in hint for o in shown.objectives for hint in o.hints)

    printed = subprocess.run([sys.executable, "-m", "ztlab", "--content", str(PACK), "lab", "show", LAB],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ZTLAB_WORKSHOP": str(workshop), "ZTLAB_LEARNER": "Grace Hopper"})
    assert printed.returncode == 0, printed.stderr
    assert f"`{mine['exports_bucket']}`" in printed.stdout and "${" not in printed.stdout
