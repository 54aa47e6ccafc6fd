"""Per-lab status from the progress store's attempts: not started / in progress / passed, best score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class LabStatus:
    status: str  # "not started" / "in progress" / "passed"
    best: float | None  # best score 0..1 over all attempts
    attempts: int
    hints: int


NOT_STARTED = LabStatus("not started", None, 0, 0)


def lab_statuses(attempts: Iterable[Any]) -> dict[str, LabStatus]:
    """lab id -> status, from `ProgressStore.lab_attempts()` (labs never attempted are absent)."""
    grouped: dict[str, list[Any]] = {}
    for attempt in attempts:
        grouped.setdefault(attempt.lab_id, []).append(attempt)
    found = {}
    for lab_id, tries in grouped.items():
        scores = [a.best_score for a in tries if a.best_score is not None]
        found[lab_id] = LabStatus(
            "passed" if any(a.completed for a in tries) else "in progress",
            max(scores) if scores else None, len(tries), sum(a.hints_used for a in tries),
        )
    return found


def describe_best(status: LabStatus) -> str:
    return "–" if status.best is None else f"{status.best:.0%}"
