"""A JSON backup of all progress: card states, the review log, lessons done, lab attempts.

Import merges: reviews, attempts and events are keyed by their uid and never duplicated; a card's
state is taken from the backup only when it was reviewed later there than here. So importing the
same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ztlab.locations import write_private
from ztlab.srs.card_state import COLUMNS, STATE_NAMES
from ztlab.srs.clock import utc_now
from ztlab.srs.store import ProgressStore, StoreError
from ztlab.untrusted.json_input import JSONInputError, load_untrusted

FORMAT = "ztlab-progress-backup"
VERSION = 1

_REVIEW_COLUMNS = ("uid", "card_id", "rating", "reviewed_at", "state_before", "kind", "elapsed_days", "interval_days", "duration_ms")
_ATTEMPT_COLUMNS = ("uid", "lab_id", "started_at", "finished_at", "completed", "best_score", "hints_used", "time_spent_s")
_EVENT_COLUMNS = ("uid", "attempt_uid", "kind", "at", "score", "results_json", "hint", "detail")


class BackupError(StoreError):
    """The file is not a ztlab backup this version can read; nothing was imported."""


# Every number in a backup is checked before anything is written: one card with `stability: inf`,
# a `last_review` in the year 30,000 or a review state without a stability broke every later review,
# and (looking newer) shadowed the genuine backup on re-import. Times are epoch seconds.
_EARLIEST = 946_684_800.0  # 2000-01-01: before ztlab existed
_SKEW = 86_400.0  # a clock a day fast is tolerated; a review further ahead never happened
_FAR = 200 * 365.25 * 86_400  # due dates: FSRS schedules at most 100 years ahead


def _not_future(value: float | None) -> float | None:
    if value is not None and value > time.time() + _SKEW:
        raise ValueError("lies in the future")
    return value


def _not_far(value: float | None) -> float | None:
    if value is not None and value > time.time() + _FAR:
        raise ValueError("lies more than 200 years ahead")
    return value


Past = Annotated[float, Field(ge=_EARLIEST, allow_inf_nan=False), AfterValidator(_not_future)]
Ahead = Annotated[float, Field(ge=_EARLIEST, allow_inf_nan=False), AfterValidator(_not_far)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Id = Annotated[str, Field(min_length=1, max_length=200)]
Score = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Days = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class _CardRow(_Row):
    card_id: Id
    state: Annotated[int, Field(ge=0, le=3)]
    step: Annotated[int, Field(ge=0, le=100)] | None
    stability: Annotated[float, Field(gt=0, le=1_000_000, allow_inf_nan=False)] | None
    difficulty: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] | None
    due: Ahead | None
    last_review: Past | None
    reps: Count
    lapses: Count
    suspended: bool
    buried_until: Ahead | None
    leech: bool

    @model_validator(mode="after")
    def _consistent(self) -> "_CardRow":
        if self.state == 0:
            if self.reps or self.stability is not None or self.last_review is not None:
                raise ValueError("a new card (state 0) has no reviews, stability or last_review")
        else:
            missing = [f for f in ("stability", "difficulty", "due", "last_review") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a {STATE_NAMES[self.state]} card (state {self.state}) needs {', '.join(missing)}")
            if self.due < self.last_review:
                raise ValueError("due comes before last_review")
        if self.lapses > self.reps:
            raise ValueError("more lapses than reviews")
        return self


class _ReviewRow(_Row):
    uid: Id
    card_id: Id
    rating: Annotated[int, Field(ge=1, le=4)]
    reviewed_at: Past
    state_before: Annotated[int, Field(ge=0, le=3)]
    kind: Annotated[str, Field(max_length=40)]
    elapsed_days: Days | None
    interval_days: Days | None
    duration_ms: Annotated[int, Field(ge=0, le=10_000_000_000)] | None


class _AttemptRow(_Row):
    uid: Id
    lab_id: Id
    started_at: Past
    finished_at: Past | None
    completed: bool
    best_score: Score | None
    hints_used: Count
    time_spent_s: Annotated[float, Field(ge=0, le=10_000_000_000, allow_inf_nan=False)]


class _EventRow(_Row):
    uid: Id
    attempt_uid: Id
    kind: Annotated[str, Field(max_length=40)]
    at: Past
    score: Score | None
    results_json: Annotated[str, Field(max_length=1_000_000)] | None
    hint: Annotated[str, Field(max_length=100_000)] | None
    detail: Annotated[str, Field(max_length=100_000)] | None


class _Backup(BaseModel):
    format: str
    version: int
    exported_at: str
    cards: list[_CardRow]
    reviews: list[_ReviewRow]
    lessons_done: dict[Id, Past]
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
    write_private(Path(path), json.dumps(data, indent=1))  # a copy of the progress store: as private as it
    return Counter({key: len(data[key]) for key in ("cards", "reviews", "lessons_done", "lab_attempts", "lab_events")})


def read_backup(path: Path) -> _Backup:
    path = Path(path)
    try:
        raw = load_untrusted(path)
    except JSONInputError as exc:
        raise BackupError(f"{exc.where}: not a usable ztlab backup: {exc.problem}. Nothing was imported.") from None
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
        loc = first["loc"]
        if len(loc) >= 2 and loc[0] == "cards" and isinstance(loc[1], int) and loc[1] < len(raw.get("cards", [])):
            card = raw["cards"][loc[1]]
            if isinstance(card, dict) and isinstance(card.get("card_id"), str):
                where += f" (card {card['card_id'][:80]!r})"
        found = "" if first["type"] == "value_error" else f" (found {str(first.get('input'))[:40]})"
        raise BackupError(f"{path}: damaged ztlab backup at {where}: {first['msg']}{found}; "
                          f"{exc.error_count()} problem(s) in all. Nothing was imported.") from None


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
