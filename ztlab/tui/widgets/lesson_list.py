"""Lessons grouped under each principle; a lesson about two principles appears under both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ztlab.principles import PRINCIPLE_TITLES, PRINCIPLES
from ztlab.tui import messages
from ztlab.tui.inert import text_title

if TYPE_CHECKING:
    from ztlab.content import Course


def _option_id(principle: str, lesson_id: str) -> str:
    return f"{principle}::{lesson_id}"


def lesson_of(option_id: str | None) -> str | None:
    if not option_id or "::" not in option_id:
        return None
    return option_id.split("::", 1)[1]


def _row(number: int, title: str, done: bool) -> Table:
    """One lesson as a grid, so a long title wraps under itself rather than under the number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2)
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    grid.add_row("✓" if done else "", f"{number}.", text_title(title))  # a str cell would be markup
    return grid


class LessonList(OptionList):
    _shown: tuple = (None, None)  # the course and lessons done the options were built from

    def show(self, course: Course | None, done: frozenset[str]) -> None:
        # Rebuilding the options re-measures and repaints every row: only when they would differ.
        if course is not None and self._shown[0] is course and self._shown[1] == done:
            return
        self._shown = (course, done)
        keep = lesson_of(self.highlighted_option.id) if self.highlighted_option else None
        self.clear_options()
        if course is None:
            return
        ordered = course.ordered_lessons()
        number = {lesson.id: i for i, lesson in enumerate(ordered, 1)}
        for slug in PRINCIPLES:
            lessons = [lesson for lesson in ordered if slug in lesson.principles]
            if not lessons:
                continue
            self.add_option(Option(f"[b]{PRINCIPLE_TITLES[slug]}[/b]  ({len(lessons)})", id=f"principle::{slug}",
                                   disabled=True))
            for lesson in lessons:
                self.add_option(Option(_row(number[lesson.id], lesson.title, lesson.id in done),
                                       id=_option_id(slug, lesson.id)))
        if keep:
            self.highlight_lesson(keep)
        elif self.option_count:
            self.action_first()

    def highlight_lesson(self, lesson_id: str) -> None:
        for index in range(self.option_count):
            if lesson_of(self.get_option_at_index(index).id) == lesson_id:
                self.highlighted = index
                return

    def highlight_principle(self, principle: str) -> None:
        for index in range(self.option_count):
            option_id = self.get_option_at_index(index).id or ""
            if option_id.startswith(f"{principle}::"):
                self.highlighted = index
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        lesson_id = lesson_of(event.option.id)
        if lesson_id:
            self.post_message(messages.OpenLesson(lesson_id))
