"""One key grammar on every screen: Escape goes back, q quits, section letters mean the same
everywhere, nothing destructive sits on a navigation key, and keys typed before a screen was shown
never reach it."""

from __future__ import annotations

import pytest
from textual import events

from tests.conftest import REPO_ROOT
from tests.tui.conftest import SIZE, settle
from ztlab.tui.keymap import ALL_BINDINGS, APP_BINDINGS, LAB_BINDINGS, keys_table
from ztlab.tui.screens import SECTIONS

SECTION_KEYS = {s.key for s in SECTIONS}
DESTRUCTIVE = {"lab.start", "lab.reset", "lab.solve"}


def test_no_screen_reuses_a_section_letter_and_q_means_quit_everywhere():
    for binding in ALL_BINDINGS:
        if binding in APP_BINDINGS or binding.id.startswith("help.") or binding.id.startswith("problems."):
            continue
        keys = set(binding.key.split(","))
        assert not keys & SECTION_KEYS, f"{binding.id} uses a section letter: {binding.key}"
        assert "q" not in keys, f"{binding.id} gives q another meaning than quit"
    destructive = [b for b in LAB_BINDINGS if b.id in DESTRUCTIVE]
    assert destructive and all(not set(b.key.split(",")) & (SECTION_KEYS | {"escape", "enter", "q"}) for b in destructive)


async def open_the_lab(pilot) -> None:
    await settle(pilot)
    for key in ("a", "enter"):  # one at a time: keys typed before a screen shows are dropped
        await pilot.press(key)
        await pilot.pause()


@pytest.mark.parametrize("path", [["enter"], ["l", "enter"]])
async def test_escape_goes_back_and_q_quits_from_a_lesson(make_app, path):
    from ztlab.tui.screens.reader import LessonReaderScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in path:
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.sub_title == "Lessons"
        await pilot.press("escape")  # from a section's first screen, Escape goes Home
        await pilot.pause()
        assert app.screen.sub_title == "Home"
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen)
        await pilot.press("q")  # q quits here too, as on Home
        await pilot.pause()
        assert not app.is_running


async def test_s_opens_settings_from_a_lab_and_review_without_touching_anything(make_app, tmp_path):
    from ztlab.srs import ProgressStore

    with ProgressStore.open(tmp_path / "p.db", fuzzing=False) as store:
        app = make_app(progress=store)
        async with app.run_test(size=SIZE) as pilot:
            await open_the_lab(pilot)
            assert app.screen.sub_title == "Close the open bucket"
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.sub_title == "Settings" and app.screen.query_one("#settings-intro")
            assert not app.workers._workers or all(w.group != "lab" for w in app.workers)
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.sub_title == "Settings"
        assert not any(state.suspended for state in store.card_states().values())


async def test_keys_typed_before_a_screen_is_shown_do_not_reach_it(make_app):
    from ztlab.tui.screens.lab import LabScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        # Enter twice in quick succession, then g (start): all typed while the lab list is on screen.
        for key, char in (("enter", "\r"), ("enter", "\r"), ("g", "g")):
            app.post_message(events.Key(key, char))
        for _ in range(20):
            await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        assert app.screen.busy is None  # g was not delivered: nothing was started
        assert not [w for w in app.workers if w.group == "lab"]


async def test_reset_asks_first_and_names_what_is_lost(make_app, monkeypatch):
    from ztlab.tui.lab_actions import SandboxView
    from ztlab.tui.screens.confirm import ConfirmScreen
    from ztlab.tui.screens.lab import LabScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_the_lab(pilot)
        screen = app.screen
        assert isinstance(screen, LabScreen)
        started: list[str] = []
        monkeypatch.setattr(screen, "_begin", lambda action, objective_id=None: started.append(action))

        class Run:
            lab_id, checks, best_score, started_at = "open-bucket", 3, 4, 0.0

        screen.on_lab_screen_sandbox_seen(LabScreen.SandboxSeen(
            SandboxView(True, "moto", "http://127.0.0.1:1", "us-east-1", Run(), "export X=1")))
        assert screen.check_action("reset", ()) and not screen.check_action("start", ())
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        lost = str(app.screen.query_one("#confirm-lost").content)
        assert "every fix you made there is lost" in lost and "3 check(s)" in lost
        await pilot.press("enter")  # focus starts on "Keep it": Enter out of habit loses nothing
        await pilot.pause()
        assert app.screen is screen and started == []
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and started == []
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert started == ["reset"]


async def test_instructor_section_only_with_a_workshop_or_bundles_folder(make_app, monkeypatch, tmp_path):
    monkeypatch.delenv("ZTLAB_BUNDLES", raising=False)
    monkeypatch.delenv("ZTLAB_WORKSHOP", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "w" not in {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.sub_title == "Home"
    monkeypatch.setenv("ZTLAB_BUNDLES", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.sub_title == "Instructor"


def test_readme_keys_table_matches_help():
    """README's keys table is the one the bindings (which Help lists) produce; regenerate it with
    `python -c "from ztlab.tui.keymap import keys_table; print(keys_table())"`."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert keys_table() in text
