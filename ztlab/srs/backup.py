"""A JSON backup of all progress: card states, the review log, lessons done, lab attempts.

Import merges: reviews, attempts and events are keyed by their uid and never duplicated; a card's
state is taken from the backup only when it was reviewed later there than here. So importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ztlab.srs.card_state import COLUMNS
from ztlab.srs.clock import utc_now
from ztlab.srs.store import ProgressStore, StoreError

FORMAT = "ztlab-progress-backup"
VERSION = 1

_REVIEW_COLUMNS = ("uid", "card_id", "rating", "reviewed_at", "state_before", "kind", "elapsed_days", "interval_days", "duration_ms")
_ATTEMPT_COLUMNS = ("uid", "lab_id", "started_at", "finished_at", "completed", "best_score", "hints_used", "time_spent_s")
_EVENT_COLUMNS = ("uid", "attempt_uid", "kind", "at", "score", "results_json", "hint", "detail")


class BackupError(StoreError):
    """The file is not a ztlab backup this version can read; nothing was imported."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _CardRow(_Row):
    card_id: str
    state: Annotated[int, Field(ge=0, le=3)]
    step: int | None
    stability: float | None
    difficulty: float | None
    due: float | None
    last_review: float | None
    reps: int
    lapses: int
    suspended: bool
    buried_until: float | None
    leech: bool


class _ReviewRow(_Row):
    uid: str
    card_id: str
    rating: Annotated[int, Field(ge=1, le=4)]
    reviewed_at: float
    state_before: int
    kind: str
    elapsed_days: float | None
    interval_days: float | None
    duration_ms: int | None


class _AttemptRow(_Row):
    uid: str
    lab_id: str
    started_at: float
    finished_at: float | None
    completed: bool
    best_score: float | None
    hints_used: int
    time_spent_s: float


class _EventRow(_Row):
    uid: str
    attempt_uid: str
    kind: str
    at: float
    score: float | None
    results_json: str | None
    hint: str | None
    detail: str | None


class _Backup(BaseModel):
    format: str
    version: int
    exported_at: str
    cards: list[_CardRow]
    reviews: list[_ReviewRow]
    lessons_done: dict[str, float]
    lab_attempts: list[_AttemptRow]
    lab_events: list[_EventRow]


def export_progress(store: ProgressStore, path: Path) -> Counter:
    """Write the backup atomically (temp file + rename); returns counts per section."""

    def rows(sql: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        return [dict(zip(columns, row)) for row in store.read(sql)]

    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utc_now().isoformat(),
        "cards": rows(f"SELECT {', '.join(COLUMNS)} FROM cards ORDER BY card_id", COLUMNS),
        "reviews": rows(f"SELECT {', '.join(_REVIEW_COLUMNS)} FROM reviews ORDER BY id", _REVIEW_COLUMNS),
        "lessons_done": dict(store.read("SELECT lesson_id, done_at FROM lessons_done ORDER BY lesson_id")),
        "lab_attempts": rows(f"SELECT {', '.join(_ATTEMPT_COLUMNS)} FROM lab_attempts ORDER BY id", _ATTEMPT_COLUMNS),
        "lab_events": rows(f"SELECT {', '.join(_EVENT_COLUMNS)} FROM lab_events ORDER BY id", _EVENT_COLUMNS),
    }
    for card in data["cards"]:
        card["suspended"], card["leech"] = bool(card["suspended"]), bool(card["leech"])
    for attempt in data["lab_attempts"]:
        attempt["completed"] = bool(attempt["completed"])
    from ztlab.locations import write_private

    write_private(Path(path), json.dumps(data, indent=1))  # a copy of the progress store: as private as it
    return Counter({key: len(data[key]) for key in ("cards", "reviews", "lessons_done", "lab_attempts", "lab_events")})


def read_backup(path: Path) -> _Backup:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc}).") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path}: not a ztlab backup (not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}).") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{path}: not a ztlab backup (no \"format\": \"{FORMAT}\" marker). Make one with `ztlab cards export FILE`.")
    version = raw.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{path}: ztlab backup with an unreadable \"version\" ({version!r}).")
    if version > VERSION:
        raise BackupError(f"{path}: made by a newer ztlab (backup version {version}; this one reads up to {VERSION}). Upgrade ztlab.")
    try:
        return _Backup.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise BackupError(f"{path}: damaged ztlab backup: {where}: {first['msg']} ({exc.error_count()} problem(s)). Nothing was imported.") from exc


def import_progress(store: ProgressStore, path: Path) -> Counter:
    """Merge a backup into the store in one transaction; returns what was added or updated."""
    backup = read_backup(path)
    try:
        added = _merge(store, backup)
    except sqlite3.IntegrityError as exc:
        raise BackupError(f"{path}: inconsistent ztlab backup ({exc}). Nothing was imported.") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{store.path}: cannot import ({exc}). Nothing was imported.") from exc
    store.forget_cache()
    return added


def _merge(store: ProgressStore, backup: _Backup) -> Counter:
    added: Counter = Counter()
    with store.write_transaction() as conn:
        local = {row[0]: row[1] for row in conn.execute("SELECT card_id, last_review FROM cards")}
        for card in backup.cards:
            mine = local.get(card.card_id, "absent")
            theirs = card.last_review
            if mine == "absent" or (theirs is not None and (mine is None or theirs > mine)):
                row = card.model_dump()
                conn.execute(
                    f"INSERT OR REPLACE INTO cards ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                    tuple(int(row[c]) if isinstance(row[c], bool) else row[c] for c in COLUMNS),
                )
                added["cards"] += 1
        added["reviews"] = _insert_new(conn, "reviews", _REVIEW_COLUMNS, [r.model_dump() for r in backup.reviews])
        for lesson_id, done_at in backup.lessons_done.items():
            added["lessons_done"] += conn.execute("INSERT OR IGNORE INTO lessons_done VALUES (?, ?)", (lesson_id, done_at)).rowcount
        added["lab_attempts"] = _insert_new(conn, "lab_attempts", _ATTEMPT_COLUMNS, [a.model_dump() for a in backup.lab_attempts])
        added["lab_events"] = _insert_new(conn, "lab_events", _EVENT_COLUMNS, [e.model_dump() for e in backup.lab_events])
    return added


def _insert_new(conn, table: str, columns: tuple[str, ...], rows: list[dict]) -> int:
    before = conn.total_changes
    conn.executemany(
        f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(int(r[c]) if isinstance(r[c], bool) else r[c] for c in columns) for r in rows],
    )
    return conn.total_changes - before
