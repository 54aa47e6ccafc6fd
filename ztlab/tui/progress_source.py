"""How the app reads and records lesson progress, without knowing the store behind it.

`ztlab.srs.ProgressStore` already has this shape, so it can be passed as-is:
`ZtlabApp(progress=store)`. Until one is attached the app uses `NoProgressSource`, which reports
nothing done and cannot record anything, so no screen shows progress that is not really saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class ProgressSource(Protocol):
    def lesson_progress(self) -> Mapping[str, datetime]:
        """Lesson id -> when it was marked done, for every lesson marked done."""
        ...

    def mark_lesson_done(self, lesson_id: str) -> None:
        """Record that a lesson was read; persisted before returning."""
        ...

    def mark_lesson_not_done(self, lesson_id: str) -> None:
        """Undo `mark_lesson_done`."""
        ...


class ProgressUnavailable(RuntimeError):
    """Raised when something tries to record progress and no store is attached."""


class NoProgressSource:
    """The default: no store attached, nothing done, nothing recordable."""

    def lesson_progress(self) -> Mapping[str, datetime]:
        return {}

    def mark_lesson_done(self, lesson_id: str) -> None:
        raise ProgressUnavailable("no progress store is attached; lesson progress cannot be saved")

    def mark_lesson_not_done(self, lesson_id: str) -> None:
        raise ProgressUnavailable("no progress store is attached; lesson progress cannot be saved")


def lessons_done(source: ProgressSource) -> frozenset[str]:
    return frozenset(source.lesson_progress())
