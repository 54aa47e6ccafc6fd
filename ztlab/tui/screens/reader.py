"""The lesson reader: the lesson as Markdown (code highlighted), facts beside it, next/previous."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ztlab.tui import messages
from ztlab.tui.inert import markdown
from ztlab.tui.keymap import READER_BINDINGS
from ztlab.tui.lesson_text import lesson_markdown
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.course_markdown import CourseMarkdown
from ztlab.tui.widgets.lesson_preview import lesson_facts
from ztlab.untrusted.text import safe_title


class LessonReaderScreen(ZtlabScreen):
    SECTION_TITLE = "Lesson"
    BINDINGS = READER_BINDINGS

    def __init__(self, lesson_id: str) -> None:
        super().__init__()
        self.lesson_id = lesson_id

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="reader"):
            with VerticalScroll(id="reader-body"):
                yield CourseMarkdown(id="lesson-markdown")
            aside = Static(id="reader-aside")
            aside.border_title = "About this lesson"
            yield aside

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#reader-body").focus()

    def refresh_content(self) -> None:
        course = self.ztlab.course
        if course is None:
            return  # reloading: keep showing the lesson until the new course arrives
        if self.lesson_id not in course.lessons:
            self.notify(f"The lesson '{self.lesson_id}' is no longer in the course.", severity="warning")
            self.app.pop_screen()
            return
        lesson = course.lessons[self.lesson_id]
        self.sub_title = safe_title(lesson.title)
        self.query_one(CourseMarkdown).update(markdown(lesson_markdown(lesson)))
        self._show_aside()

    def _show_aside(self) -> None:
        app = self.ztlab
        facts = lesson_facts(app.course, self.lesson_id, app.lessons_done(), app.progress_attached)
        self.query_one("#reader-aside", Static).update(facts)

    def _step(self, delta: int) -> None:
        course = self.ztlab.course
        if course is None:
            return
        ordered = [lesson.id for lesson in course.ordered_lessons()]
        index = ordered.index(self.lesson_id) + delta
        if not 0 <= index < len(ordered):
            self.notify("That was the last lesson." if delta > 0 else "This is the first lesson.")
            return
        self.lesson_id = ordered[index]
        self.refresh_content()
        below = self.app.screen_stack[0]
        if hasattr(below, "highlight_lesson"):
            below.highlight_lesson(self.lesson_id)
        self.query_one("#reader-body", VerticalScroll).scroll_home(animate=False)

    def action_next_lesson(self) -> None:
        self._step(+1)

    def action_previous_lesson(self) -> None:
        self._step(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_done" and not self.ztlab.progress_attached:
            return None  # shown dimmed: there is no store to record it in yet
        return True

    def action_review_cards(self) -> None:
        self.post_message(messages.ReviewCards(self.lesson_id))

    def action_toggle_done(self) -> None:
        done = self.lesson_id in self.ztlab.lessons_done()
        self.post_message(messages.MarkLessonDone(self.lesson_id, done=not done))
