"""The progress store: one SQLite file (WAL) holding card states, the review log, lesson progress
and lab attempts.

Every change runs in its own `BEGIN IMMEDIATE` transaction and is committed before the method
returns, so an answer acknowledged to the learner survives a crash, and two ztlab processes
(the app and a CLI command) serialise their writes instead of overwriting each other's. Card
progress is keyed by the YAML card id: editing a card keeps its history, and a removed card's
rows stay until the card comes back.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from fsrs import Rating, State

from ztlab.locations import locations
from ztlab.settings import Settings, load_settings
from ztlab.srs.card_state import COLUMNS, CardState, ReviewOutcome, UndoResult
from ztlab.srs.errors import BUSY_TIMEOUT_MS, ChangedElsewhere, StoreError, disk_full, guarded as _guarded, not_damage, out_of_space
from ztlab.srs.lab_attempts import LabAttemptsMixin
from ztlab.srs.clock import as_utc, day_start, from_epoch, next_day_start, to_epoch
from ztlab.srs.scheduling import make_scheduler, schedule
from ztlab.srs.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

# In WAL mode, NORMAL keeps every committed transaction when the process dies (kill -9) and the
# file always consistent; only an OS crash or power cut can roll back the last few answers since
# the latest checkpoint. FULL closes that gap too, at one fsync per answer (~6 ms on a slow disk,
# over the 5 ms budget per answer), so NORMAL it is.
SYNCHRONOUS = "NORMAL"
WAL_AUTOCHECKPOINT_PAGES = 4000
# An answer writes a few 4 KB pages to the WAL; below this much free space the session would fail
# on its first answer, so it is refused before a card is shown. A disk that fills up later is
# still named as full by the error that answer gets.
MIN_FREE_BYTES = 256 << 10
LEECH_LAPSES = 8  # as Anki: tagged and suspended at 8 lapses, then again every 4 more
_SELECT_CARD = f"SELECT {', '.join(COLUMNS)} FROM cards"
_UPSERT_CARD = f"INSERT OR REPLACE INTO cards ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class ProgressStore(LabAttemptsMixin):
    def __init__(self, conn: sqlite3.Connection, path: Path, settings: Settings, fuzzing: bool) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.settings = settings
        self._fuzzing = fuzzing
        self.scheduler = make_scheduler(settings, fuzzing=fuzzing)
        self.rollover_hour = settings.day_rollover_hour
        self.session = uuid.uuid4().hex  # undo reaches back only through this store's own actions
        self._known_states: dict[str, int] | None = None
        self._damaged = False
        # Bumped whenever a stored card may have become new again or the map was re-read, so
        # anything derived from the map (the queue's new-card frontier) knows to start over.
        self.states_generation = 0
        self._known_version: int | None = None

    # ----- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str | None = None, *, settings: Settings | None = None, fuzzing: bool = True) -> "ProgressStore":
        """Open (creating or migrating) the store; refuse a damaged or foreign file untouched."""
        path = Path(path) if path else locations().progress_db
        _refuse_non_sqlite(path)
        _refuse_emptied(path)
        # Before any card is shown: a review whose answers cannot be saved wastes the learner's time.
        # WAL mode needs the folder writable too (the -wal and -shm files live beside the database).
        for target in (path, path.parent):
            if target.exists() and not os.access(target, os.W_OK):
                raise _store_error(path, sqlite3.OperationalError(f"{target} is read-only"))
        if path.parent.exists() and out_of_space(path, MIN_FREE_BYTES):
            raise disk_full(path)
        try:
            # Private from the first byte (SQLite gives its -wal/-shm files the database's mode).
            from ztlab.locations import private_file

            if not path.exists():
                private_file(path)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the folder for progress ({exc.strerror or exc}).") from exc
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the progress database ({exc}).") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _refuse_foreign(conn, path)  # reads only: nothing is written before the file is known to be ours
            _with_retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            # Checkpoint (copy the WAL back, with fsyncs) every ~16 MB rather than every 4 MB, so
            # it rarely lands on an answer; close() checkpoints too.
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            conn.execute("PRAGMA foreign_keys = ON")
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    _refuse_foreign(conn, path)  # another process may have got there first
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if version < SCHEMA_VERSION:
                        migrate(conn, version)
                        conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_by', 'ztlab')")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
                raise _not_a_database(path) from exc
            raise _store_error(path, exc) from exc
        return cls(conn, path, settings or load_settings(), fuzzing)

    def close(self) -> None:
        """Drop this session's undo steps (and any left by crashed ones), checkpoint, close."""
        with self._lock:
            try:
                if self._damaged:
                    return
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(
                    "DELETE FROM undo_log WHERE session = ? OR created_at < ?", (self.session, time.time() - 86400)
                )
                self._conn.execute("COMMIT")
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass  # busy or read-only: the next close tidies up; nothing is lost by skipping
            finally:
                self._conn.close()

    def __enter__(self) -> "ProgressStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def apply_settings(self, settings: Settings) -> None:
        """Use changed settings from now on (limits, retention, day start) without reopening."""
        with self._lock:
            self.settings = settings
            self.scheduler = make_scheduler(settings, fuzzing=self._fuzzing)
            self.rollover_hour = settings.day_rollover_hour

    @_guarded
    def data_version(self) -> int:
        """Changes whenever another connection (the CLI, the lab runtime) has committed a write."""
        with self._lock:
            return self._conn.execute("PRAGMA data_version").fetchone()[0]

    # ----- days ------------------------------------------------------------------------------
    def day_start(self, now: datetime | None = None) -> datetime:
        return day_start(as_utc(now), self.rollover_hour)

    def next_day_start(self, now: datetime | None = None) -> datetime:
        return next_day_start(as_utc(now), self.rollover_hour)

    # ----- card state ------------------------------------------------------------------------
    @_guarded
    def card_state(self, card_id: str) -> CardState:
        """The stored state, or a fresh new card when it was never touched."""
        rows = self._read(f"{_SELECT_CARD} WHERE card_id = ?", (card_id,))
        return CardState.from_row(rows[0]) if rows else CardState(card_id)

    @_guarded
    def card_states(self) -> dict[str, CardState]:
        """Every stored card state (including cards no longer in the course)."""
        return {row[0]: CardState.from_row(row) for row in self._read(_SELECT_CARD)}

    @_guarded
    def due_rows(self, states: tuple[int, ...], until: datetime, limit: int | None = None) -> list[tuple[str, float, float | None]]:
        """(card_id, due, buried_until) of unsuspended cards in `states` due before `until`, earliest first."""
        marks = ", ".join("?" * len(states))
        return self._read(
            f"SELECT card_id, due, buried_until FROM cards WHERE suspended = 0 AND state IN ({marks}) AND due < ?"
            " ORDER BY due" + (f" LIMIT {int(limit)}" if limit is not None else ""),
            (*states, to_epoch(until)),
        )

    @_guarded
    def current_generation(self) -> int:
        """A number that changes whenever a stored card may have become new again: another
        connection wrote (PRAGMA data_version moved), or this one undid or imported."""
        with self._lock:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._known_version:
                self._known_version = version
                self._known_states = None
                self.states_generation += 1
            return self.states_generation

    def stored_states(self) -> dict[str, int]:
        """card id -> state for every stored card; cached while no other connection writes."""
        with self._lock:
            self.current_generation()
            if self._known_states is None:
                self._known_states = dict(self.read("SELECT card_id, state FROM cards"))
            return self._known_states

    def cached_states(self) -> dict[str, int] | None:
        """The stored-states map if it is loaded and still current, else None (no loading)."""
        with self._lock:
            self.current_generation()
            return self._known_states

    @_guarded
    def states_of(self, card_ids: list[str]) -> dict[str, int]:
        """card id -> state for those of `card_ids` that are stored."""
        if not card_ids:
            return {}
        return dict(self._read(f"SELECT card_id, state FROM cards WHERE card_id IN ({', '.join('?' * len(card_ids))})", card_ids))

    def _remember(self, card_id: str, state: int | None) -> None:
        """Keep the cache in step with this connection's own writes (data_version ignores them)."""
        if self._known_states is not None:
            if state is None:
                self._known_states.pop(card_id, None)
            else:
                self._known_states[card_id] = state
        if not state:
            self.states_generation += 1

    # ----- answering -------------------------------------------------------------------------
    @_guarded
    def preview(self, card_id: str, now: datetime | None = None) -> dict[Rating, timedelta]:
        """The next interval each rating would give, exactly as answering would (same fuzz)."""
        now = as_utc(now)
        before = self.card_state(card_id)
        card = before.to_fsrs(now)
        return {
            rating: schedule(self.scheduler, card, card_id, before.reps, rating, now).due - now
            for rating in Rating
        }

    @_guarded
    def review(
        self, card_id: str, rating: Rating | int, now: datetime | None = None, *,
        practice: bool = False, duration_ms: int | None = None, expected: CardState | None = None,
    ) -> ReviewOutcome:
        """Answer a card; committed before returning. `practice` logs it without moving the schedule.

        `expected` is the state the card had when it was shown: if another process has answered,
        suspended or buried it since, nothing is written and ChangedElsewhere is raised."""
        rating = Rating(rating)
        now = as_utc(now)
        with self._write() as conn:
            rows = conn.execute(f"{_SELECT_CARD} WHERE card_id = ?", (card_id,)).fetchall()
            stored = bool(rows)
            before = CardState.from_row(rows[0]) if rows else CardState(card_id)
            if expected is not None and _schedule_of(before) != _schedule_of(expected):
                raise ChangedElsewhere(f"'{card_id}' was answered or changed in another ztlab window after it "
                                       "was shown here; this answer was not saved.")
            elapsed = (now - before.last_review).total_seconds() / 86400 if before.last_review else None
            if practice:
                kind, after, interval, became_leech = "practice", before, None, False
            else:
                kind = before.kind
                scheduled = schedule(self.scheduler, before.to_fsrs(now), card_id, before.reps, rating, now)
                lapsed = before.state == State.Review and rating == Rating.Again
                lapses = before.lapses + lapsed
                became_leech = lapsed and lapses >= LEECH_LAPSES and (lapses - LEECH_LAPSES) % (LEECH_LAPSES // 2) == 0
                after = replace(
                    before.with_fsrs(scheduled), reps=before.reps + 1, lapses=lapses, buried_until=None,
                    suspended=before.suspended or became_leech, leech=before.leech or became_leech,
                )
                interval = after.due - now
                conn.execute(_UPSERT_CARD, after.to_row())
            cursor = conn.execute(
                "INSERT INTO reviews (uid, card_id, rating, reviewed_at, state_before, kind, elapsed_days,"
                " interval_days, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, card_id, int(rating), to_epoch(now), before.state, kind, elapsed,
                 interval.total_seconds() / 86400 if interval is not None else None, duration_ms),
            )
            review_id = cursor.lastrowid
            self._log_undo(conn, "practice" if practice else "review", before if stored else None, card_id, now, review_id)
        if stored or not practice:
            self._remember(card_id, after.state)
        return ReviewOutcome(card_id, rating, review_id, kind, before, after, interval, became_leech)

    def _log_undo(self, conn, action: str, before: CardState | None, card_id: str, now: datetime, review_id: int | None = None) -> None:
        before_json = json.dumps(before.to_row()) if before is not None else None
        conn.execute(
            "INSERT INTO undo_log (session, action, card_id, before_json, review_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (self.session, action, card_id, before_json, review_id, to_epoch(now)),
        )

    @_guarded
    def undo(self) -> UndoResult | None:
        """Take back this store's latest answer, suspend or bury; repeat to go further back."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, action, card_id, before_json, review_id FROM undo_log WHERE session = ? ORDER BY id DESC LIMIT 1",
                (self.session,),
            ).fetchone()
            if row is None:
                return None
            undo_id, action, card_id, before_json, review_id = row
            if action != "practice":
                if before_json is None:
                    conn.execute("DELETE FROM cards WHERE card_id = ?", (card_id,))
                else:
                    conn.execute(_UPSERT_CARD, tuple(json.loads(before_json)))
            if review_id is not None:
                conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            conn.execute("DELETE FROM undo_log WHERE id = ?", (undo_id,))
        if action != "practice":
            self._remember(card_id, json.loads(before_json)[1] if before_json else None)
        return UndoResult(action, card_id)

    # ----- suspend / bury / due now ----------------------------------------------------------
    def _change(self, action: str, card_id: str, now: datetime | None, **changes) -> CardState:
        now = as_utc(now)
        with self._write() as conn:
            rows = conn.execute(f"{_SELECT_CARD} WHERE card_id = ?", (card_id,)).fetchall()
            before = CardState.from_row(rows[0]) if rows else None
            after = replace(before or CardState(card_id), **changes)
            conn.execute(_UPSERT_CARD, after.to_row())
            self._log_undo(conn, action, before, card_id, now)
        self._remember(card_id, after.state)
        return after

    @_guarded
    def suspend(self, card_id: str, now: datetime | None = None) -> CardState:
        return self._change("suspend", card_id, now, suspended=True)

    @_guarded
    def unsuspend(self, card_id: str, now: datetime | None = None) -> CardState:
        return self._change("unsuspend", card_id, now, suspended=False)

    @_guarded
    def bury(self, card_id: str, now: datetime | None = None) -> CardState:
        """Hide the card until the learner's next day starts."""
        return self._change("bury", card_id, now, buried_until=self.next_day_start(now))

    @_guarded
    def make_due_now(self, card_ids: Iterable[str], now: datetime | None = None) -> int:
        """Bring cards forward to now (a failed lab objective sends its cards back to study).

        Cards never answered become due too, ahead of the new-card limit. Suspended cards stay
        suspended. Returns how many cards changed.
        """
        now = as_utc(now)
        changed: dict[str, int] = {}
        ids = list(dict.fromkeys(card_ids))
        with self._write() as conn:
            for card_id in ids:
                rows = conn.execute(f"{_SELECT_CARD} WHERE card_id = ?", (card_id,)).fetchall()
                before = CardState.from_row(rows[0]) if rows else CardState(card_id)
                if before.due is not None and before.due <= now and not before.is_buried(now):
                    continue
                conn.execute(_UPSERT_CARD, replace(before, due=now, buried_until=None).to_row())
                changed[card_id] = before.state
        for card_id, state in changed.items():
            self._remember(card_id, state)
        return len(changed)

    # ----- daily counts ----------------------------------------------------------------------
    @_guarded
    def answers_since(self, since: datetime) -> Counter:
        """kind -> number of answers since `since` (new, learning, review, relearning, practice)."""
        return Counter(dict(self._read(
            "SELECT kind, count(*) FROM reviews WHERE reviewed_at >= ? GROUP BY kind", (to_epoch(since),)
        )))

    @_guarded
    def review_log(self, since: datetime | None = None, until: datetime | None = None) -> list[tuple]:
        """(card_id, rating, reviewed_at epoch, kind, state_before) in time order."""
        return self._read(
            "SELECT card_id, rating, reviewed_at, kind, state_before FROM reviews"
            " WHERE reviewed_at >= ? AND reviewed_at < ? ORDER BY reviewed_at",
            (to_epoch(since) if since else 0.0, to_epoch(until) if until else float("inf")),
        )

    @_guarded
    def has_answers_between(self, start: datetime, end: datetime) -> bool:
        return bool(self._read(
            "SELECT 1 FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? LIMIT 1", (to_epoch(start), to_epoch(end))
        ))

    # ----- lessons ---------------------------------------------------------------------------
    @_guarded
    def mark_lesson_done(self, lesson_id: str, now: datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO lessons_done VALUES (?, ?)", (lesson_id, to_epoch(as_utc(now))))

    @_guarded
    def mark_lesson_not_done(self, lesson_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM lessons_done WHERE lesson_id = ?", (lesson_id,))

    @_guarded
    def lesson_progress(self) -> dict[str, datetime]:
        """lesson id -> when it was first marked done."""
        return {lesson: from_epoch(at) for lesson, at in self._read("SELECT lesson_id, done_at FROM lessons_done")}

    # ----- raw access for the lab-attempt and backup helpers ---------------------------------
    def write_transaction(self):
        """A `BEGIN IMMEDIATE` transaction committed on exit (for ztlab.srs modules only)."""
        return self._write()

    @_guarded
    def read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        return self._read(sql, params)

    def forget_cache(self) -> None:
        self._known_states = None
        self.states_generation += 1


def _schedule_of(state: CardState) -> tuple:
    return state.reps, state.due, state.suspended, state.buried_until


def _with_retry(step, seconds: float = BUSY_TIMEOUT_MS / 1000):
    """Switching a brand-new file to WAL can meet another process doing the same at once."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _refuse_non_sqlite(path: Path) -> None:
    # The header is NOT read with a Python file handle: closing any descriptor of the database
    # file drops every POSIX lock this process holds on it, including those of a connection that
    # is already open (the app's). Another process (`ztlab lab check` in a second terminal) then
    # believes it is the last user, checkpoints and deletes the -wal/-shm files under the open
    # connection, which reads "database disk image is malformed" from then on. SQLite itself
    # reports a non-SQLite file (see `_not_a_database`).
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a progress database. Move it aside.")


def _refuse_emptied(path: Path) -> None:
    # SQLite takes a 0-byte file for a new database and would write a fresh one over it. A store
    # emptied by a crash or a full disk is news the learner needs (a backup may hold their
    # progress), so it is refused. A file only just created is another ztlab opening it now.
    with contextlib.suppress(OSError):
        info = path.stat()
        if info.st_size == 0 and time.time() - info.st_mtime > 60:
            raise StoreError(f"{path}: the progress database is empty (0 bytes), so earlier progress was lost "
                             f"(a crash or a full disk?). ztlab will not overwrite it: restore a backup with "
                             f"`ztlab cards import FILE`, or delete the file to start afresh.")


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """Only a file that is not a usable database calls for moving it aside."""
    return not_damage(path, exc) or StoreError(
        f"{path}: not a usable ztlab progress database ({exc}). The file was left untouched; "
        f"move it aside (ztlab then starts a new one) or restore a backup with `ztlab cards import`."
    )


def _not_a_database(path: Path) -> StoreError:
    return StoreError(
        f"{path}: not a SQLite database (damaged, or some other file). It was left untouched; "
        f"move it aside (ztlab then starts a new one) or restore a backup with `ztlab cards import`."
    )


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: written by a newer ztlab (schema {version}, this one knows {SCHEMA_VERSION}). "
                f"Upgrade ztlab; the file was left untouched."
            )
        return
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables or version:
        raise StoreError(
            f"{path}: a SQLite database that is not ztlab's progress store. It was left untouched; "
            f"point ztlab elsewhere (ZTLAB_HOME) or move the file aside."
        )
