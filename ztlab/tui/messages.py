"""Messages screens and widgets post to ask the app for something, and the app's loading results.

State flows down through the app's reactive attributes (`course`, `settings`, `progress_version`):
screens `watch` them. Requests flow up as these messages, handled in `ZtlabApp`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ztlab.content import Course, Problem


class OpenLesson(Message):
    """Show a lesson in the reader (switching to the Lessons section)."""

    def __init__(self, lesson_id: str) -> None:
        super().__init__()
        self.lesson_id = lesson_id


class ShowLessons(Message):
    """Show the lessons list, optionally with the first lesson of a principle highlighted."""

    def __init__(self, principle: str | None = None) -> None:
        super().__init__()
        self.principle = principle


class MarkLessonDone(Message):
    """The learner marked a lesson done (or not done); the progress layer records it."""

    def __init__(self, lesson_id: str, done: bool = True) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.done = done


@dataclass
class LoadOutcome:
    """What the background load produced: always a usable settings object, maybe problems."""

    settings: Any  # ztlab.settings.Settings (typed loosely: pydantic is imported off the main thread)
    settings_problem: str | None
    course: "Course | None"
    content_problems: "list[Problem]"


class Loaded(Message):
    """Posted by the loading worker once settings and content are read."""

    def __init__(self, outcome: LoadOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class ReviewCards(Message):
    """Open Review on today's queue, limited to one lesson's cards when `lesson_id` is given."""

    def __init__(self, lesson_id: str | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id


class OpenLab(Message):
    """Show a lab's screen (switching to the Labs section)."""

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id


class ProgressOpened(Message):
    """Posted by the worker that opens the progress store: the store, or why it could not open."""

    def __init__(self, store: Any, problem: str | None) -> None:
        super().__init__()
        self.store = store
        self.problem = problem
