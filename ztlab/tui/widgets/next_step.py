"""Home's "what to do next" panel: one sentence and one button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from ztlab.tui import messages
from ztlab.tui.inert import markup_block, markup_title

if TYPE_CHECKING:
    from ztlab.content import Course


class NextStep(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Next step"
        self._lesson_id: str | None = None

    def compose(self) -> ComposeResult:
        # The button is mounted once there is something to open: the first paint stays light.
        yield Static("Loading the course…", id="next-step-text")

    def _button(self) -> Button:
        found = self.query("#next-step-open")
        if found:
            return found.first(Button)
        button = Button("Read it", id="next-step-open", variant="primary", compact=True)
        self.mount(button)
        return button

    def show(self, course: Course | None, done: frozenset[str], *, loading: bool) -> None:
        text = self.query_one("#next-step-text", Static)
        self._lesson_id = None
        if course is None or not course.lessons or all(lesson_id in done for lesson_id in course.lessons):
            for button in self.query("#next-step-open"):
                button.display = False
        if course is None:
            text.update("Loading the course…" if loading else
                        "The course could not be loaded; see the problems listed when it started.")
            return
        lessons = course.ordered_lessons()
        pending = [lesson for lesson in lessons if lesson.id not in done]
        if not lessons:
            text.update("There are no lessons in the course yet.")
            return
        if not pending:
            text.update(f"All {len(lessons)} lessons are done. Browse them again any time with [b]l[/b].")
            return
        lesson = pending[0]
        self._lesson_id = lesson.id
        position = lessons.index(lesson) + 1
        verb = "Start with" if not done else "Continue with"
        text.update(f"{verb} lesson {position} of {len(lessons)}: [b]{markup_title(lesson.title)}[/b]\n"
                    f"{markup_block(lesson.summary.strip())}")
        button = self._button()
        button.display = True
        if self.screen.focused is None:
            button.focus()

    def open(self) -> None:
        if self._lesson_id:
            self.post_message(messages.OpenLesson(self._lesson_id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.open()
