from __future__ import annotations

from textual.widgets import DataTable, Static

from tests.tui.conftest import SIZE, MemoryProgress, settle
from ztlab.tui.screens.home import HomeScreen
from ztlab.tui.screens.lessons import LessonsScreen
from ztlab.tui.screens.reader import LessonReaderScreen
from ztlab.tui.widgets.lesson_list import LessonList, lesson_of


def _row(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


async def test_home_suggests_the_first_lesson_and_counts_per_principle(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = str(app.screen.query_one("#next-step-text", Static).content)
        assert "lesson 1 of 3" in text and "The perimeter is gone" in text
        table = app.screen.query_one("#principles", DataTable)
        assert _row(table, "least-privilege") == ["Least privilege", "0 / 2", "0 / 0", "0 / 1"]
        assert _row(table, "verify-explicitly") == ["Verify explicitly", "0 / 1", "0 / 1", "0 / 0"]
        assert _row(table, "assume-breach") == ["Assume breach", "0 / 1", "0 / 1", "0 / 0"]


async def test_enter_on_the_next_step_opens_that_lesson(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen)
        assert app.screen.lesson_id == "perimeter"


async def test_progress_from_the_store_moves_the_next_step_on(make_app):
    app = make_app(progress=MemoryProgress({"perimeter"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#next-step-text", Static).content)
        assert "Continue with lesson 2 of 3" in text and "Grant only what is used" in text
        table = app.screen.query_one("#principles", DataTable)
        assert _row(table, "verify-explicitly")[1] == "1 / 1"
        assert _row(table, "least-privilege")[1] == "0 / 2"


async def test_choosing_a_principle_shows_its_lessons(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#principles", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("encrypt-everything"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonsScreen)
        highlighted = app.screen.query_one(LessonList).highlighted_option
        assert highlighted.id.startswith("encrypt-everything::") and lesson_of(highlighted.id) == "keys"


async def test_clicking_the_button_opens_the_lesson(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await pilot.click("#next-step-open")
        await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen)


async def test_all_done_says_so(make_app):
    app = make_app(progress=MemoryProgress({"perimeter", "least", "keys"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "All 3 lessons are done" in str(app.screen.query_one("#next-step-text", Static).content)
        assert not [button for button in app.screen.query("#next-step-open") if button.display]


async def test_q_on_home_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running
