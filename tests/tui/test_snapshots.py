"""SVG snapshots at a fixed size over the deterministic test pack (regenerate with --snapshot-update
on the pinned Textual version, and look at every changed SVG before committing it)."""

from __future__ import annotations

from tests.tui.conftest import SIZE, settle


def _after(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_after())


def test_lessons_list(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_after("l", "down"))


def test_lesson_reader(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_after("l", "enter"))


def test_settings(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_after("s"))


def test_help_on_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_after("question_mark"))


def test_lessons_list_without_colour(snap_compare, make_app, monkeypatch):
    # NO_COLOR: greys only; the highlighted lesson and the headers must still stand out (bold, shade).
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    assert snap_compare(app, terminal_size=SIZE, run_before=_after("l", "down"))


def test_lesson_with_a_wide_code_block_at_80x24(snap_compare, make_app, pack):
    import textwrap

    from tests.tui.test_layout import SMALL, WIDE_LESSON, open_wide_lesson

    (pack / "lessons" / "00-wide.yaml").write_text(textwrap.dedent(WIDE_LESSON), encoding="utf-8")

    async def run_before(pilot) -> None:
        await open_wide_lesson(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_lab_screen_at_80x24(snap_compare, make_app):
    from tests.tui.test_layout import SMALL

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=_after("a", "enter"))
