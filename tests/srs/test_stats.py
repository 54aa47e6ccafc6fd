from __future__ import annotations

from datetime import timedelta

from ztlab.srs import Rating, stats

from tests.srs.conftest import lapse_until_leech


def test_empty_collection(store, course, noon):
    result = stats(store, course, noon)
    assert result.due_today == 0 and result.seen_cards == 0 and result.new_available == len(course.cards)
    assert result.true_retention_30d is None and result.streak == 0
    assert all(m.mastery == 0 for m in result.mastery_by_lesson)


def test_due_today_and_forecast(store, course, noon):
    store.review("alpha-c0", Rating.Again, noon)  # learning: due in a minute, today
    store.review("alpha-c1", Rating.Easy, noon)  # review: due in days
    result = stats(store, course, noon)
    due_day = (store.card_state("alpha-c1").due - store.day_start(noon)).days
    assert result.due_today == 1
    assert result.forecast_30d[0] == 1 and result.forecast_30d[due_day] == 1 and sum(result.forecast_30d) == 2
    assert result.new_available == len(course.cards) - 2


def test_true_retention_counts_review_answers_only(store, course, noon):
    start = noon - timedelta(days=25)
    for n in range(4):
        store.review(f"alpha-c{n}", Rating.Easy, start)  # new answers: not counted
    for n, rating in enumerate([Rating.Good, Rating.Hard, Rating.Again, Rating.Good]):
        due = store.card_state(f"alpha-c{n}").due
        store.review(f"alpha-c{n}", rating, due)
    result = stats(store, course, noon)
    assert result.retention_answers_30d == 4
    assert result.true_retention_30d == 0.75


def test_reviews_per_day_and_streak(store, course, noon):
    for days_ago in (0, 1, 2, 4):
        store.review(f"alpha-c{days_ago}", Rating.Good, noon - timedelta(days=days_ago))
    result = stats(store, course, noon)
    assert [count for _, count in result.reviews_per_day[-5:]] == [1, 0, 1, 1, 1]
    assert result.reviews_today == 1
    assert result.streak == 3
    # the morning after, before answering anything, the streak still stands
    assert stats(store, course, store.next_day_start(noon) + timedelta(hours=2)).streak == 3


def test_mastery_uses_elapsed_time(store, course, noon):
    for n in range(6):
        store.review(f"alpha-c{n}", Rating.Easy, noon)
    morning = stats(store, course, noon + timedelta(minutes=1))
    evening = stats(store, course, noon + timedelta(hours=10))
    alpha_m = next(m for m in morning.mastery_by_lesson if m.id == "alpha")
    alpha_e = next(m for m in evening.mastery_by_lesson if m.id == "alpha")
    beta = next(m for m in morning.mastery_by_lesson if m.id == "beta")
    assert alpha_m.seen == 6 and 0.99 < alpha_m.mastery <= 1.0
    assert alpha_e.mastery < alpha_m.mastery  # forgetting shows within the day
    assert beta.mastery == 0 and beta.seen == 0
    by_principle = {m.id: m for m in morning.mastery_by_principle}
    assert by_principle["verify-explicitly"].cards == 4 and by_principle["verify-explicitly"].seen == 2


def test_leeches_are_listed(store, course, noon):
    lapse_until_leech(store, "beta-c1", noon - timedelta(days=400))
    result = stats(store, course, noon)
    assert result.leeches == ["beta-c1"] and result.suspended == 1


def test_cards_gone_from_the_course_are_counted_as_orphaned(store, course, noon):
    store.review("gone-card", Rating.Good, noon)
    result = stats(store, course, noon)
    assert result.orphaned == 1 and result.seen_cards == 0
