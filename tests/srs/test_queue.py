from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from ztlab.srs import ProgressStore, QueueFilter, Rating, ReviewSession, build_queue

from tests.srs.conftest import load_pack, write_pack


def kinds(queue):
    return [(item.kind, item.card_id) for item in queue]


def test_new_cards_follow_lesson_order_and_the_daily_limit(store, course, noon):
    queue = build_queue(store, course, noon)
    assert kinds(queue) == [("new", f"alpha-c{n}") for n in range(5)]  # limit 5, alpha (order 100) first


def test_learning_then_reviews_then_new(store, course, noon):
    store.review("beta-c0", Rating.Easy, noon - timedelta(days=30))  # a review card long overdue
    store.review("alpha-c0", Rating.Again, noon - timedelta(minutes=5))  # learning, due after 1 min
    queue = build_queue(store, course, noon)
    assert queue[0].kind == "learning" and queue[0].card_id == "alpha-c0"
    assert queue[1].kind == "review" and queue[1].card_id == "beta-c0"
    assert {item.kind for item in queue[2:]} == {"new"}


def test_limits_count_todays_answers(store, course, noon):
    for n in range(3):
        store.review(f"alpha-c{n}", Rating.Easy, noon - timedelta(minutes=30))
    queue = build_queue(store, course, noon)
    assert [item.card_id for item in queue] == ["alpha-c3", "alpha-c4"]  # 5 new a day, 3 already seen today
    tomorrow = store.next_day_start(noon) + timedelta(hours=1)
    assert len([i for i in build_queue(store, course, tomorrow) if i.kind == "new"]) == 5


def test_review_limit(tmp_path, course, noon):
    from ztlab.settings import Settings

    with ProgressStore.open(tmp_path / "p.sqlite3", settings=Settings(reviews_per_day=2, new_cards_per_day=0), fuzzing=False) as store:
        for n in range(4):
            store.review(f"alpha-c{n}", Rating.Easy, noon - timedelta(days=40))
        assert [i.kind for i in build_queue(store, course, noon)] == ["review", "review"]
        store.review("alpha-c0", Rating.Good, noon)
        assert [i.kind for i in build_queue(store, course, noon)] == ["review"]


def test_filters_by_lesson_principle_and_tag(store, course, noon):
    def ids(**kw):
        return [i.card_id for i in build_queue(store, course, noon, filters=QueueFilter(**kw))]

    assert ids(lesson="beta") == ["beta-c0", "beta-c1", "beta-c2", "beta-c3"]
    assert ids(principle="least-privilege") == ["alpha-c1", "alpha-c4", "beta-c1"]
    assert ids(tag="iam") == ["alpha-c1", "beta-c2"]
    assert ids(lesson="beta", tag="iam") == ["beta-c2"]


def test_suspended_and_buried_cards_stay_out(store, course, noon):
    store.suspend("alpha-c0", noon)
    store.bury("alpha-c1", noon)
    ids = [i.card_id for i in build_queue(store, course, noon)]
    assert "alpha-c0" not in ids and "alpha-c1" not in ids
    tomorrow = store.next_day_start(noon) + timedelta(minutes=1)
    ids = [i.card_id for i in build_queue(store, course, tomorrow)]
    assert "alpha-c1" in ids and "alpha-c0" not in ids
    store.unsuspend("alpha-c0", tomorrow)
    assert "alpha-c0" in [i.card_id for i in build_queue(store, course, tomorrow)]


def test_made_due_cards_come_ahead_of_the_new_limit(store, course, noon):
    store.make_due_now(["beta-c3"], noon)
    queue = build_queue(store, course, noon)
    assert queue[0].card_id == "beta-c3" and queue[0].kind == "lab"
    # It counts toward the limit of 5 (the rule in ztlab.srs.stats.LAB_CARDS_RULE): 4 other new cards.
    assert len([i for i in queue if i.kind == "new"]) == 4


def test_practice_mode_does_not_move_the_schedule(store, course, noon):
    store.review("alpha-c0", Rating.Good, noon - timedelta(days=1, minutes=20))
    store.review("alpha-c0", Rating.Good, noon - timedelta(days=1, minutes=5))
    store.review("alpha-c1", Rating.Easy, noon - timedelta(days=1))
    before = store.card_states()
    session = ReviewSession(store, course, practice=True, clock=lambda: noon)
    first = session.next_card()
    assert first.card_id == "alpha-c0"  # the weaker card first
    seen = []
    while (item := session.next_card()) is not None:
        seen.append(item.card_id)
        session.answer(Rating.Again)
    assert len(seen) == len(course.cards) and len(set(seen)) == len(seen)
    assert store.card_states() == before
    assert store.read("SELECT count(*) FROM reviews WHERE kind = 'practice'") == [(len(seen),)]


def test_session_undo_shows_the_card_again(store, course, noon):
    session = ReviewSession(store, course, clock=lambda: noon)
    first = session.next_card()
    session.answer(Rating.Good)
    assert session.next_card().card_id != first.card_id
    session.undo()
    assert session.current.card_id == first.card_id and session.current.kind == "new"
    assert store.card_state(first.card_id).is_new


def test_removed_card_keeps_history_and_returns(tmp_path, store, noon):
    root = write_pack(tmp_path / "edit", {"alpha": 3})
    course = load_pack(root)
    store.review("alpha-c2", Rating.Easy, noon - timedelta(days=20))
    deck = root / "flashcards" / "alpha.yaml"
    deck.write_text(deck.read_text().replace("Question alpha-c0?", "A reworded question?"))
    write_pack(tmp_path / "edit", {"alpha": 2})  # alpha-c2 removed from the deck
    smaller = load_pack(root)
    assert "alpha-c2" not in smaller.cards
    assert "alpha-c2" not in [i.card_id for i in build_queue(store, smaller, noon)]
    assert store.card_state("alpha-c2").reps == 1  # history kept
    restored = load_pack(write_pack(tmp_path / "edit", {"alpha": 3}))
    queue = build_queue(store, restored, noon)
    assert ("review", "alpha-c2") in kinds(queue)  # back, due as scheduled, not new


def test_edited_card_keeps_its_history(tmp_path, store, noon):
    root = write_pack(tmp_path / "edit", {"alpha": 2})
    store.review("alpha-c0", Rating.Easy, noon - timedelta(days=20))
    deck = root / "flashcards" / "alpha.yaml"
    deck.write_text(deck.read_text().replace("Answer alpha-c0.", "A much better answer."))
    course = load_pack(root)
    assert course.cards["alpha-c0"].back == "A much better answer."
    [item] = [i for i in build_queue(store, course, noon) if i.card_id == "alpha-c0"]
    assert item.kind == "review"


@pytest.fixture
def tz_new_york():
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_day_starts_at_local_midnight(store, tz_new_york):
    late_evening = datetime(2026, 6, 1, 23, 30).astimezone()  # local New York time
    assert store.day_start(late_evening) == datetime(2026, 6, 1, 4, 0, tzinfo=timezone.utc)  # midnight EDT
    assert store.next_day_start(late_evening) == datetime(2026, 6, 2, 4, 0, tzinfo=timezone.utc)


def test_rollover_hour_moves_the_day_boundary(tmp_path, tz_new_york):
    from ztlab.settings import Settings

    with ProgressStore.open(tmp_path / "p.sqlite3", settings=Settings(day_rollover_hour=4)) as store:
        small_hours = datetime(2026, 6, 2, 2, 0).astimezone()  # still "yesterday" until 04:00
        assert store.day_start(small_hours) == datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
        assert store.next_day_start(small_hours) == datetime(2026, 6, 2, 8, 0, tzinfo=timezone.utc)


def test_new_cards_past_the_probe_window(store, course, noon, monkeypatch):
    import ztlab.srs.queue as queue_module

    monkeypatch.setattr(queue_module, "PROBE_CHUNK", 2)
    monkeypatch.setattr(queue_module, "PROBE_LIMIT", 4)
    for n in range(5):
        store.review(f"alpha-c{n}", Rating.Good, noon - timedelta(days=3))
    store.suspend("beta-c0", noon)
    def new_ids():
        return [i.card_id for i in build_queue(store, course, noon) if i.kind == "new"]

    for _ in range(2):  # cold (probe, then the full map), then warm (the cached map, scan from the frontier)
        assert new_ids() == ["alpha-c5", "beta-c1", "beta-c2", "beta-c3"]
    store.undo()  # the suspension of beta-c0
    assert new_ids() == ["alpha-c5", "beta-c0", "beta-c1", "beta-c2", "beta-c3"]
    store.undo()  # the answer to alpha-c4: new again, before the frontier
    assert new_ids()[:2] == ["alpha-c4", "alpha-c5"]


def test_another_process_answering_is_seen(tmp_path, course, settings, noon):
    path = tmp_path / "shared.sqlite3"
    with ProgressStore.open(path, settings=settings) as app, ProgressStore.open(path, settings=settings) as cli:
        for n in range(5):
            app.review(f"alpha-c{n}", Rating.Good, noon - timedelta(days=3))
        build_queue(app, course, noon)
        assert app.stored_states()  # the app now holds the map of stored cards
        cli.review("alpha-c5", Rating.Good, noon - timedelta(days=2))
        new = [i.card_id for i in build_queue(app, course, noon) if i.kind == "new"]
        assert "alpha-c5" not in new and new[0] == "beta-c0"


def test_session_brings_a_failed_card_back_when_its_step_is_due(store, course, noon):
    now = [noon]
    session = ReviewSession(store, course, clock=lambda: now[0])
    first = session.next_card()
    session.answer(Rating.Again)  # learning, due again in a minute
    following = [session.next_card().card_id]
    session.answer(Rating.Good)
    assert first.card_id not in following  # not before its step is due
    now[0] = noon + timedelta(minutes=2)
    again = session.next_card()
    assert (again.card_id, again.kind) == (first.card_id, "learning")


def test_session_sees_what_another_process_made_due(tmp_path, course, settings, noon):
    path = tmp_path / "shared.sqlite3"
    with ProgressStore.open(path, settings=settings) as app, ProgressStore.open(path, settings=settings) as cli:
        session = ReviewSession(app, course, clock=lambda: noon)
        session.next_card()
        session.answer(Rating.Easy)
        assert session.next_card().card_id == "alpha-c1"
        cli.review("beta-c3", Rating.Again, noon - timedelta(minutes=5))  # a lab check failing an objective, say
        session.answer(Rating.Easy)
        assert session.next_card().card_id == "beta-c3"


def test_session_counts_shrink_as_cards_are_answered(store, course, noon):
    session = ReviewSession(store, course, clock=lambda: noon)
    session.next_card()
    assert session.counts()["new"] == 5
    session.answer(Rating.Easy)
    session.next_card()
    assert session.counts()["new"] == 4
