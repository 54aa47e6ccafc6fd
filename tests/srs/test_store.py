from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from ztlab.locations import locations
from ztlab.srs import LEECH_LAPSES, ProgressStore, Rating, StoreError
from ztlab.srs.schema import SCHEMA_VERSION

from tests.srs.conftest import lapse_until_leech


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_path_comes_from_locations_and_is_wal():
    with ProgressStore.open() as store:
        assert store.path == locations().progress_db
    conn = sqlite3.connect(locations().progress_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_answer_is_committed_before_review_returns(store, noon):
    outcome = store.review("alpha-c0", Rating.Good, noon)
    other = sqlite3.connect(store.path)  # a second connection sees it at once: it is on disk
    assert other.execute("SELECT card_id, rating FROM reviews").fetchall() == [("alpha-c0", 3)]
    assert other.execute("SELECT reps FROM cards WHERE card_id = 'alpha-c0'").fetchone() == (1,)
    assert outcome.interval == timedelta(minutes=10)  # second learning step after Good


def test_reopening_keeps_progress(tmp_path, settings, noon):
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path, settings=settings) as store:
        store.review("alpha-c0", Rating.Easy, noon)
    with ProgressStore.open(path, settings=settings) as store:
        state = store.card_state("alpha-c0")
    assert state.kind == "review" and state.reps == 1


@pytest.mark.parametrize("content", [b"this is not a database at all" * 10, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_file_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(StoreError) as error:
        ProgressStore.open(path)
    assert str(path) in str(error.value) and "untouched" in str(error.value)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cards (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO cards VALUES (1, 'not ours')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="not ztlab's"):
        ProgressStore.open(path)
    assert digest(path) == before


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer ztlab"):
        ProgressStore.open(path)


def test_damage_found_later_is_a_store_error_not_a_traceback(tmp_path, settings, noon):
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path, settings=settings) as store:
        for n in range(400):
            store.review(f"card-{n}", Rating.Good, noon)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2: page * 6] = b"\x07" * (page * 4)  # wreck some pages past the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|not a usable"):
        with ProgressStore.open(path, settings=settings) as store:
            store.card_states()
            store.review_log()


def test_undo_steps_back_through_several_actions(store, noon):
    store.review("alpha-c0", Rating.Good, noon)
    store.review("alpha-c0", Rating.Good, noon + timedelta(minutes=11))
    store.suspend("alpha-c1", noon)
    assert store.undo().action == "suspend"
    assert not store.card_state("alpha-c1").suspended
    assert store.undo().action == "review"
    assert store.card_state("alpha-c0").reps == 1
    assert store.undo().card_id == "alpha-c0"
    assert store.card_state("alpha-c0").is_new
    assert store.read("SELECT count(*) FROM reviews") == [(0,)]
    assert store.undo() is None


def test_undo_belongs_to_the_store_that_acted(tmp_path, settings, noon):
    path = tmp_path / "p.sqlite3"
    with ProgressStore.open(path, settings=settings) as first, ProgressStore.open(path, settings=settings) as second:
        first.review("alpha-c0", Rating.Good, noon)
        assert second.undo() is None
        assert first.undo().card_id == "alpha-c0"


def test_leech_after_eight_lapses_is_tagged_and_suspended(store, noon):
    outcomes = lapse_until_leech(store, "beta-c0", noon)
    state = store.card_state("beta-c0")
    assert state.lapses == LEECH_LAPSES and state.leech and state.suspended
    assert [o.became_leech for o in outcomes] == [False] * (LEECH_LAPSES - 1) + [True]


def test_bury_lasts_until_the_next_day_starts(store, noon):
    state = store.bury("alpha-c2", noon)
    assert state.is_buried(noon + timedelta(hours=1))
    assert state.buried_until == store.next_day_start(noon)
    assert not state.is_buried(store.next_day_start(noon))


def test_make_due_now_brings_cards_forward(store, noon):
    store.review("alpha-c0", Rating.Easy, noon)
    later = noon + timedelta(hours=2)
    assert store.card_state("alpha-c0").due > later
    assert store.make_due_now(["alpha-c0", "alpha-c3"], later) == 2
    assert store.card_state("alpha-c0").due == later
    assert store.card_state("alpha-c3").due == later and store.card_state("alpha-c3").is_new


def test_lesson_progress(store, noon):
    store.mark_lesson_done("alpha", noon)
    store.mark_lesson_done("alpha", noon + timedelta(days=1))  # first completion is kept
    assert store.lesson_progress() == {"alpha": noon}
    store.mark_lesson_not_done("alpha")
    assert store.lesson_progress() == {}


def test_lab_attempts_record_checks_hints_and_completion(store, noon):
    attempt = store.record_lab_attempt("lab-one", noon)
    store.record_lab_event(attempt, "check", noon + timedelta(minutes=5), score=0.5,
                           results={"obj-a": True, "obj-b": False})
    store.record_lab_event(attempt, "hint", noon + timedelta(minutes=6), hint="obj-b")
    store.record_lab_event(attempt, "check", noon + timedelta(minutes=9), score=1.0, results={"obj-a": True, "obj-b": True})
    store.record_lab_event(attempt, "complete", noon + timedelta(minutes=10))
    [saved] = store.lab_attempts("lab-one")
    assert saved.completed and saved.best_score == 1.0 and saved.hints_used == 1 and saved.time_spent == 600
    events = store.lab_events(attempt)
    assert [e.kind for e in events] == ["start", "check", "hint", "check", "complete"]
    assert events[1].results == {"obj-a": True, "obj-b": False}
