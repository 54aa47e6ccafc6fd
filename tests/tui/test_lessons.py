from __future__ import annotations

from rich.console import Console
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownFence

from tests.tui.conftest import SIZE, MemoryProgress, settle
from ztlab.tui import messages
from ztlab.tui.screens.home import HomeScreen
from ztlab.tui.screens.lessons import LessonsScreen
from ztlab.tui.screens.reader import LessonReaderScreen
from ztlab.tui.widgets.lesson_list import LessonList, lesson_of


async def _open_lessons(pilot):
    await settle(pilot)
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonsScreen)
    return pilot.app.screen.query_one(LessonList)


async def test_lessons_are_grouped_by_principle_in_course_order(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lesson_list = await _open_lessons(pilot)
        ids = [lesson_list.get_option_at_index(i).id for i in range(lesson_list.option_count)]
        assert ids == [
            "principle::verify-explicitly", "verify-explicitly::perimeter",
            "principle::least-privilege", "least-privilege::least", "least-privilege::keys",
            "principle::encrypt-everything", "encrypt-everything::keys",
            "principle::assume-breach", "assume-breach::perimeter",
        ]
        preview = app.screen.query_one("#lesson-preview", Static)
        assert "The perimeter is gone" in str(preview.content)
        await pilot.press("down")  # the header below is skipped: headers cannot be highlighted
        await pilot.pause()
        assert lesson_of(lesson_list.highlighted_option.id) == "least"
        assert "Grant only what is used" in str(preview.content)
        assert "Close the open bucket" in str(preview.content)  # the lab that links this lesson


async def _fence_lexers(pilot, reader, expected: list[str]) -> list[str]:
    """The Markdown widget builds its blocks asynchronously; on a busy machine that takes a while."""
    for _ in range(300):
        lexers = [f.lexer for f in reader.query(MarkdownFence)]
        if lexers == expected:
            break
        await pilot.pause(0.05)
    return lexers


async def test_reader_renders_markdown_code_and_takeaways_and_steps_through_lessons(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_lessons(pilot)
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, LessonReaderScreen) and reader.lesson_id == "perimeter"
        markdown = reader.query_one(Markdown)
        assert "## Takeaways" in markdown.source and "- Location is not identity." in markdown.source
        assert await _fence_lexers(pilot, reader, ["json"]) == ["json"]
        assert "2 flashcards" in str(reader.query_one("#reader-aside", Static).content)

        await pilot.press("n")
        await pilot.pause()
        assert reader.lesson_id == "least" and "Grant only what is used" in reader.query_one(Markdown).source
        assert await _fence_lexers(pilot, reader, ["bash"]) == ["bash"]
        await pilot.press("n", "n")
        await pilot.pause()
        assert reader.lesson_id == "keys"  # stays on the last lesson
        assert any("last lesson" in str(n.message) for n in app._notifications)
        await pilot.press("p")
        await pilot.pause()
        assert reader.lesson_id == "least"

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonsScreen)
        assert lesson_of(app.screen.query_one(LessonList).highlighted_option.id) == "least"


async def test_clicking_a_lesson_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_lessons(pilot)
        # Row 0 is the border, row 1 the first principle, row 2 its first lesson.
        assert await pilot.click(LessonList, offset=(10, 2))
        await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen) and app.screen.lesson_id == "perimeter"


async def test_without_a_progress_store_mark_done_is_unavailable_and_posts_nothing(make_app):
    posted = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await _open_lessons(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert not [m for m in posted if isinstance(m, messages.MarkLessonDone)]
        assert app.screen.active_bindings["d"].enabled is False
        assert "progress not recorded yet" in str(app.screen.query_one("#reader-aside", Static).content)


async def test_mark_done_goes_to_the_progress_store_and_home_shows_it(make_app):
    store = MemoryProgress()
    posted = []
    app = make_app(progress=store)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await _open_lessons(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        marks = {id(m): m for m in posted if isinstance(m, messages.MarkLessonDone)}  # seen once per hop
        assert [(m.lesson_id, m.done) for m in marks.values()] == [("perimeter", True)]
        assert store.done == {"perimeter"}
        assert "done" in str(app.screen.query_one("#reader-aside", Static).content)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Grant only what is used" in str(app.screen.query_one("#next-step-text", Static).content)
        await pilot.press("l")  # the Lessons section comes back where it was left: in the reader
        await pilot.pause()
        assert isinstance(app.screen, LessonReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        first = app.screen.query_one(LessonList).get_option("verify-explicitly::perimeter")
        console = Console(width=60)
        with console.capture() as shown:
            console.print(first.prompt)
        assert shown.get().startswith("✓   1. The perimeter is gone")


async def test_a_store_attached_after_start_up_enables_mark_done(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open_lessons(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.active_bindings["d"].enabled is False
        app.attach_progress(MemoryProgress({"perimeter"}))
        await pilot.pause()
        assert app.screen.active_bindings["d"].enabled is True
        assert "[b]done[/b] ✓" in str(app.screen.query_one("#reader-aside", Static).content)
