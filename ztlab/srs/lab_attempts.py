"""Lab attempts in the progress store: start, each check with its score and per-objective
results, hints used, completion and time spent. The labs package writes these; stats and the
app read them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from ztlab.srs.clock import as_utc, from_epoch, to_epoch
from ztlab.srs.errors import guarded

LabEventKind = Literal["start", "check", "hint", "complete", "abandon"]


@dataclass(frozen=True)
class LabAttempt:
    attempt_id: str
    lab_id: str
    started_at: datetime
    finished_at: datetime | None
    completed: bool
    best_score: float | None
    hints_used: int
    time_spent: float  # seconds, from start to the latest event


@dataclass(frozen=True)
class LabEvent:
    attempt_id: str
    kind: str
    at: datetime
    score: float | None
    results: Any
    hint: str | None
    detail: str | None


class LabAttemptsMixin:
    """Methods of ProgressStore (kept apart so store.py stays about cards)."""

    @guarded
    def record_lab_attempt(self, lab_id: str, now: datetime | None = None) -> str:
        """Start an attempt at a lab; returns its id for the events that follow."""
        now = as_utc(now)
        attempt_id = uuid.uuid4().hex
        with self.write_transaction() as conn:
            conn.execute("INSERT INTO lab_attempts (uid, lab_id, started_at) VALUES (?, ?, ?)", (attempt_id, lab_id, to_epoch(now)))
            self._insert_lab_event(conn, attempt_id, "start", now)
        return attempt_id

    @guarded
    def record_lab_event(
        self, attempt_id: str, kind: LabEventKind, now: datetime | None = None, *,
        score: float | None = None, results: Any = None, hint: str | None = None, detail: str | None = None,
    ) -> None:
        """Log a check (score 0..1 and per-objective results, any JSON-able value), a hint,
        completion or abandonment; keeps the attempt's best score, hint count and time spent."""
        now = as_utc(now)
        with self.write_transaction() as conn:
            row = conn.execute("SELECT started_at FROM lab_attempts WHERE uid = ?", (attempt_id,)).fetchone()
            if row is None:
                raise KeyError(f"no lab attempt {attempt_id!r}")
            self._insert_lab_event(conn, attempt_id, kind, now, score, results, hint, detail)
            conn.execute(
                "UPDATE lab_attempts SET time_spent_s = max(time_spent_s, ? - started_at),"
                " best_score = CASE WHEN ? IS NULL THEN best_score ELSE max(coalesce(best_score, ?), ?) END,"
                " hints_used = hints_used + ?,"
                " completed = completed OR ?,"
                " finished_at = CASE WHEN ? THEN ? ELSE finished_at END WHERE uid = ?",
                (to_epoch(now), score, score, score, int(kind == "hint"), int(kind == "complete"),
                 int(kind in ("complete", "abandon")), to_epoch(now), attempt_id),
            )

    @staticmethod
    def _insert_lab_event(conn, attempt_id, kind, now, score=None, results=None, hint=None, detail=None) -> None:
        conn.execute(
            "INSERT INTO lab_events (uid, attempt_uid, kind, at, score, results_json, hint, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid.uuid4().hex, attempt_id, kind, to_epoch(now), score,
             None if results is None else json.dumps(results), hint, detail),
        )

    @guarded
    def lab_attempts(self, lab_id: str | None = None) -> list[LabAttempt]:
        sql = "SELECT uid, lab_id, started_at, finished_at, completed, best_score, hints_used, time_spent_s FROM lab_attempts"
        rows = self.read(sql + (" WHERE lab_id = ?" if lab_id else "") + " ORDER BY started_at", (lab_id,) if lab_id else ())
        return [
            LabAttempt(uid, lab, from_epoch(start), from_epoch(end), bool(done), best, hints, spent)
            for uid, lab, start, end, done, best, hints, spent in rows
        ]

    @guarded
    def lab_events(self, attempt_id: str) -> list[LabEvent]:
        rows = self.read(
            "SELECT attempt_uid, kind, at, score, results_json, hint, detail FROM lab_events WHERE attempt_uid = ? ORDER BY at, id",
            (attempt_id,),
        )
        return [
            LabEvent(uid, kind, from_epoch(at), score, None if results is None else json.loads(results), hint, detail)
            for uid, kind, at, score, results, hint, detail in rows
        ]
