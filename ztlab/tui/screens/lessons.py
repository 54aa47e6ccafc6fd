"""Lessons: every lesson grouped by principle, with a preview of the highlighted one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import OptionList, Static

from ztlab.tui.keymap import LESSONS_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.lesson_list import LessonList, lesson_of
from ztlab.tui.widgets.lesson_preview import LessonPreview


class LessonsScreen(ZtlabScreen):
    SECTION_TITLE = "Lessons"
    BINDINGS = LESSONS_BINDINGS

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="lessons"):
            lesson_list = LessonList(id="lesson-list")
            lesson_list.border_title = "Lessons by principle"
            yield lesson_list
            with VerticalScroll(id="lesson-preview-box") as box:
                box.border_title = "Preview"
                yield LessonPreview(id="lesson-preview")
        yield Static("", id="lessons-empty")

    def refresh_content(self) -> None:
        app = self.ztlab
        lesson_list = self.query_one(LessonList)
        lesson_list.show(app.course, app.lessons_done())
        empty = self.query_one("#lessons-empty", Static)
        if app.course is None:
            empty.update("Loading the course…" if app.content_loading else "The course could not be loaded.")
        elif not app.course.lessons:
            empty.update("There are no lessons in the course yet.")
        empty.display = app.course is None or not app.course.lessons
        self.query_one("#lessons").display = not empty.display
        self._show_preview()
        lesson_list.focus()

    def _show_preview(self) -> None:
        app = self.ztlab
        option = self.query_one(LessonList).highlighted_option
        self.query_one(LessonPreview).show(app.course, lesson_of(option.id if option else None),
                                           app.lessons_done(), app.progress_attached)

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    def highlight_lesson(self, lesson_id: str) -> None:
        self.query_one(LessonList).highlight_lesson(lesson_id)

    def highlight_principle(self, principle: str | None) -> None:
        if principle:
            self.query_one(LessonList).highlight_principle(principle)
        self.query_one(LessonList).focus()

    def action_cursor_down(self) -> None:
        self.query_one(LessonList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(LessonList).action_cursor_up()
