from __future__ import annotations

from datetime import timedelta

from ztlab.settings import Settings
from ztlab.srs import ProgressStore, Rating, parse_rating, retrievability


def test_preview_matches_the_answer_even_with_fuzzing_on(tmp_path, noon):
    with ProgressStore.open(tmp_path / "p.sqlite3", settings=Settings(), fuzzing=True) as store:
        now = noon
        store.review("c", Rating.Easy, now)
        for _ in range(4):  # long enough intervals that fuzz applies
            now = store.card_state("c").due
            preview = store.preview("c", now)
            outcome = store.review("c", Rating.Good, now)
            assert outcome.interval == preview[Rating.Good]
        assert outcome.interval > timedelta(days=3)


def test_preview_gives_four_growing_intervals_from_settings_steps(tmp_path, noon):
    settings = Settings(learning_steps_minutes=[2.0, 15.0])
    with ProgressStore.open(tmp_path / "p.sqlite3", settings=settings, fuzzing=False) as store:
        preview = store.preview("new-card", noon)
    assert preview[Rating.Again] == timedelta(minutes=2)
    assert preview[Rating.Good] == timedelta(minutes=15)
    assert preview[Rating.Again] < preview[Rating.Hard] < preview[Rating.Good] < preview[Rating.Easy]


def test_higher_desired_retention_gives_shorter_intervals(tmp_path, noon):
    intervals = {}
    for retention in (0.8, 0.95):
        with ProgressStore.open(tmp_path / f"{retention}.sqlite3", settings=Settings(desired_retention=retention), fuzzing=False) as store:
            store.review("c", Rating.Good, noon)
            store.review("c", Rating.Good, noon + timedelta(minutes=10))
            now = store.card_state("c").due
            intervals[retention] = store.review("c", Rating.Good, now).interval
    assert intervals[0.95] < intervals[0.8]


def test_retrievability_falls_within_a_day(store, noon):
    store.review("c", Rating.Easy, noon)
    state = store.card_state("c")
    values = [retrievability(store.scheduler, state.stability, state.last_review, noon + timedelta(hours=h)) for h in (0, 3, 9, 20)]
    assert values[0] == 1.0
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    # fsrs itself counts whole days: it still says 100% after 20 hours
    fsrs_card = state.to_fsrs(noon)
    assert store.scheduler.get_card_retrievability(fsrs_card, noon + timedelta(hours=20)) == 1.0


def test_retrievability_at_stability_days_is_ninety_percent(store, noon):
    store.review("c", Rating.Easy, noon)
    state = store.card_state("c")
    at_stability = retrievability(store.scheduler, state.stability, state.last_review, noon + timedelta(days=state.stability))
    assert abs(at_stability - 0.9) < 1e-9  # the definition of FSRS stability


def test_rating_words_and_digits():
    assert parse_rating("1") == Rating.Again and parse_rating(" Easy ") == Rating.Easy
    assert parse_rating("good") == Rating.Good and parse_rating("hard") == Rating.Hard
    assert parse_rating("5") is None and parse_rating("yes") is None
