"""How the app reads and records lesson progress, without knowing the store behind it.

The spaced-repetition store (ztlab.srs) implements this Protocol; until one is attached the app
uses `NoProgressSource`, which reports nothing done and cannot record anything, so the screens
never show progress that is not really saved.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ProgressSource(Protocol):
    def lessons_done(self) -> frozenset[str]:
        """Ids of the lessons the learner has marked done."""
        ...

    def mark_lesson_done(self, lesson_id: str, done: bool = True) -> None:
        """Record (or with done=False, undo) that a lesson was read; must persist before returning."""
        ...


class ProgressUnavailable(RuntimeError):
    """Raised when something tries to record progress and no store is attached."""


class NoProgressSource:
    """The default: no store attached, nothing done, nothing recordable."""

    def lessons_done(self) -> frozenset[str]:
        return frozenset()

    def mark_lesson_done(self, lesson_id: str, done: bool = True) -> None:
        raise ProgressUnavailable("no progress store is attached; lesson progress cannot be saved")
