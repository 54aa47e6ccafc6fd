"""The progress database's schema and its migrations.

`PRAGMA application_id` marks the file as ztlab's; `PRAGMA user_version` is the schema version.
Each migration moves the schema up one version inside the caller's transaction. Add new ones at
the end; never edit a released one.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x7A746C62  # "ztlb"

# Times are UTC epoch seconds (REAL). card.state: 0 new, 1 learning, 2 review, 3 relearning (fsrs).
_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cards (
    card_id      TEXT PRIMARY KEY,
    state        INTEGER NOT NULL DEFAULT 0,
    step         INTEGER,
    stability    REAL,
    difficulty   REAL,
    due          REAL,
    last_review  REAL,
    reps         INTEGER NOT NULL DEFAULT 0,
    lapses       INTEGER NOT NULL DEFAULT 0,
    suspended    INTEGER NOT NULL DEFAULT 0,
    buried_until REAL,
    leech        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;  -- looked up by id all the time: the row lives in the id's b-tree
-- Covering index for the queue: due cards by state without touching the table.
CREATE INDEX cards_due ON cards (suspended, state, due, buried_until, card_id);
CREATE INDEX cards_leech ON cards (leech) WHERE leech = 1;
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    card_id      TEXT NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    reviewed_at  REAL NOT NULL,
    state_before INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('new', 'learning', 'review', 'relearning', 'practice')),
    elapsed_days REAL,
    interval_days REAL,
    duration_ms  INTEGER
);
CREATE INDEX reviews_time ON reviews (reviewed_at, kind);
CREATE INDEX reviews_card ON reviews (card_id, reviewed_at);
CREATE TABLE undo_log (
    id          INTEGER PRIMARY KEY,
    session     TEXT NOT NULL,
    action      TEXT NOT NULL,
    card_id     TEXT NOT NULL,
    before_json TEXT,
    review_id   INTEGER,
    created_at  REAL NOT NULL
);
CREATE INDEX undo_session ON undo_log (session, id);
CREATE TABLE lessons_done (lesson_id TEXT PRIMARY KEY, done_at REAL NOT NULL);
CREATE TABLE lab_attempts (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    lab_id       TEXT NOT NULL,
    started_at   REAL NOT NULL,
    finished_at  REAL,
    completed    INTEGER NOT NULL DEFAULT 0,
    best_score   REAL,
    hints_used   INTEGER NOT NULL DEFAULT 0,
    time_spent_s REAL NOT NULL DEFAULT 0
);
CREATE INDEX lab_attempts_lab ON lab_attempts (lab_id, started_at);
CREATE TABLE lab_events (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    attempt_uid  TEXT NOT NULL REFERENCES lab_attempts (uid),
    kind         TEXT NOT NULL CHECK (kind IN ('start', 'check', 'hint', 'complete', 'abandon')),
    at           REAL NOT NULL,
    score        REAL,
    results_json TEXT,
    hint         TEXT,
    detail       TEXT
);
CREATE INDEX lab_events_attempt ON lab_events (attempt_uid, at);
"""

MIGRATIONS: list[str] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, from_version: int) -> None:
    """Apply migrations after `from_version`; the caller holds a write transaction."""
    for version in range(from_version, SCHEMA_VERSION):
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version + 1}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
