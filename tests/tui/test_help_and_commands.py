from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable

from tests.tui.conftest import SIZE, palette_search, settle, wait_until
from ztlab.tui.screens.help import HelpScreen
from ztlab.tui.screens.reader import LessonReaderScreen
from ztlab.tui.screens.settings import SettingsScreen


def _help_rows(app) -> list[tuple[str, str, str]]:
    table = app.screen.query_one("#help-table", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_help_lists_every_key_of_the_screen_it_was_opened_on(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open the suggested lesson
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, LessonReaderScreen)
        expected_keys = {app.get_key_display(active.binding) for active in reader.active_bindings.values()}
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = _help_rows(app)
        shown_keys = {key for row in rows for key in row[0].split(" / ")}
        assert shown_keys == expected_keys
        by_id = {row[2]: row for row in rows if row[2]}
        assert by_id["reader.next"][:2] == ("n", "Next lesson")
        assert by_id["reader.done"][1] == "Mark done (not available now)"
        assert {"go.home", "go.lessons", "go.settings", "app.help", "reader.back"} <= set(by_id)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reader

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_opens_a_lesson_by_title_and_goes_to_sections(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await palette_search(pilot, "keys you control")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "the palette to run the command")
        assert isinstance(app.screen, LessonReaderScreen) and app.screen.lesson_id == "keys"

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette to open")
        await palette_search(pilot, "go to settings")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "the palette to run the command")
        assert isinstance(app.screen, SettingsScreen)


async def test_command_palette_offers_the_current_screens_actions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # reader on the first lesson
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette to open")
        await palette_search(pilot, "next lesson")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette), "the palette to run the command")
        assert isinstance(app.screen, LessonReaderScreen) and app.screen.lesson_id == "least"
