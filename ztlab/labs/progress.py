"""Lab attempts in the progress store, and flashcards brought back by failed objectives.

Progress is a side record: if the store cannot be opened (damaged file, locked disk) the lab still
runs and grades, and the reason is returned for the shell to show. Each function takes the
session's store getter (`LabSession.progress_store`), so one command opens the store at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ztlab.content import Course
from ztlab.labs.results import LabResult

StoreGetter = Callable[[], Any]  # returns the open ProgressStore, or raises StoreError


def open_store() -> Any:
    from ztlab.srs import ProgressStore

    return ProgressStore.open()


def record_start(store: StoreGetter, lab_id: str) -> tuple[str | None, str | None]:
    """(attempt id, problem)."""
    from ztlab.srs import StoreError

    try:
        return store().record_lab_attempt(lab_id), None
    except StoreError as exc:
        return None, f"progress not saved: {exc}"


def cards_to_review(course: Course, result: LabResult) -> list[str]:
    """The lab's cards that teach what failed: those sharing a failed objective's principle, or all."""
    lab = course.labs[result.lab_id]
    failed = {o.principle for o in result.objectives if not o.passed}
    if not failed:
        return []
    cards = [c for c in lab.cards if c in course.cards]
    matching = [c for c in cards if course.cards[c].principle in failed]
    return matching or cards


def record_check(store: StoreGetter, course: Course, attempt_id: str | None, result: LabResult) -> tuple[int, str | None]:
    """Log the check; make the failed objectives' cards due now. (cards made due, problem)."""
    from ztlab.srs import StoreError

    try:
        opened = store()
        if attempt_id:
            opened.record_lab_event(
                attempt_id, "complete" if result.passed else "check",
                score=result.score / result.max_score if result.max_score else 1.0,
                results={o.id: o.status for o in result.objectives},
            )
        due = cards_to_review(course, result)
        return (opened.make_due_now(due) if due else 0), None
    except (StoreError, KeyError) as exc:
        return 0, f"progress not saved: {exc}"


def record_hint(store: StoreGetter, attempt_id: str | None, objective_id: str, hint: str) -> None:
    from ztlab.srs import StoreError

    if not attempt_id:
        return
    try:
        store().record_lab_event(attempt_id, "hint", hint=hint, detail=objective_id)
    except (StoreError, KeyError):
        pass
