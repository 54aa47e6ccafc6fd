"""The numbers a learner reads add up and agree: every card in one named state, suspended cards
counted, cards a lab failure made due counted and within a stated rule, and `ztlab cards stats`
and `ztlab review --plain` saying the same as the statistics they print from."""

from __future__ import annotations

import re

from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.settings import Settings
from ztlab.srs import ChangedElsewhere, ProgressStore, Rating, ReviewSession, build_queue, stats
from ztlab.srs.stats import LAB_CARDS_RULE

from tests.srs.conftest import write_pack


def _states_add_up(s) -> None:
    assert s.studied + s.new_available + s.due_from_labs + s.suspended == s.total_cards, s.describe_cards()


def test_every_card_is_in_one_named_state_and_suspended_new_cards_count(store, course, noon):
    store.review("alpha-c0", Rating.Good, noon)
    store.review("alpha-c1", Rating.Easy, noon)
    store.suspend("alpha-c1", noon)  # a studied card suspended
    store.suspend("beta-c3", noon)  # a never-studied card suspended: was counted nowhere
    store.make_due_now(["beta-c0", "beta-c1"], noon)  # a failed lab objective brings two new cards in
    s = stats(store, course, noon)
    assert (s.studied, s.new_available, s.due_from_labs, s.suspended) == (1, 5, 2, 2)
    _states_add_up(s)
    assert s.describe_cards() == "10 in the course = 1 studied + 5 new + 2 due from labs + 2 suspended"


def test_lab_cards_come_past_the_new_card_limit_and_count_toward_it(store, course, noon):
    # The limit is 5 a day. Two cards made due by a lab come at once, and only 3 other new cards follow.
    store.make_due_now(["beta-c0", "beta-c1"], noon)
    queue = build_queue(store, course, noon)
    kinds = [item.kind for item in queue]
    assert kinds.count("lab") == 2 and kinds.count("new") == 3
    s = stats(store, course, noon)
    assert s.queue_now == {"learning": 0, "review": 0, "new": 3, "lab": 2}
    assert "2 from labs" in s.describe_today()
    # Seven lab cards: all of them come (past the limit), and no other new card that day.
    store.make_due_now([f"alpha-c{n}" for n in range(5)], noon)
    kinds = [item.kind for item in build_queue(store, course, noon)]
    assert kinds.count("lab") == 7 and kinds.count("new") == 0
    assert "limit" in LAB_CARDS_RULE and "count toward it" in LAB_CARDS_RULE


def test_true_retention_na_says_what_is_missing(store, course, noon):
    store.review("alpha-c0", Rating.Good, noon)
    s = stats(store, course, noon)
    assert s.true_retention_30d is None
    text = s.describe_retention()
    assert text.startswith("n/a: ") and "already learnt and due again" in text and "1 answer(s)" in text


def test_settings_changed_while_open_apply_at_once(store, course, noon):
    assert len(build_queue(store, course, noon)) == 5
    store.apply_settings(Settings(new_cards_per_day=8, reviews_per_day=50, desired_retention=0.8))
    assert len(build_queue(store, course, noon)) == 8
    assert stats(store, course, noon).new_limit == 8


def test_undo_counts_the_card_it_brings_back(store, course, noon):
    session = ReviewSession(store, course, clock=lambda: noon)
    session.next_card()
    assert session.counts()["new"] == 5
    session.answer(Rating.Easy)
    session.next_card()
    assert session.counts()["new"] == 4
    session.undo()
    assert session.counts()["new"] == 5  # was 4: the card brought back was counted nowhere


def test_a_card_answered_by_another_process_is_not_answered_again(tmp_path, course, settings, noon):
    path = tmp_path / "shared.sqlite3"
    with ProgressStore.open(path, settings=settings, fuzzing=False) as app_store, \
            ProgressStore.open(path, settings=settings, fuzzing=False) as cli_store:
        app = ReviewSession(app_store, course, clock=lambda: noon)
        shown = app.next_card().card_id
        # The CLI beside the app answers the same card while the app shows it.
        cli = ReviewSession(cli_store, course, clock=lambda: noon)
        assert cli.next_card().card_id == shown
        cli.answer(Rating.Good)
        # Saving the app's answer is refused: the card changed since it was shown.
        try:
            app.answer(Rating.Easy)
        except ChangedElsewhere as exc:
            assert shown in str(exc)
        else:
            raise AssertionError("the app answered a card the CLI had already answered")
        assert len([r for r in app_store.review_log() if r[0] == shown]) == 1
        # The next card shown is one the CLI has not answered.
        assert app.next_card().card_id != shown
        # And a card the app shows is dropped before it is shown again once the CLI answers it.
        current = app.current.card_id
        cli.next_card()
        assert cli.current.card_id == current
        cli.answer(Rating.Good)
        assert app.next_card().card_id != current


def test_cards_stats_and_review_plain_agree_with_the_stats(tmp_path):
    from ztlab.content import load_course

    pack = write_pack(tmp_path / "pack", {"gamma": 6})
    course, _ = load_course([pack])  # as the CLI loads it: the built-in course and this pack
    runner = CliRunner()
    runner.invoke(cli, ["--content", str(pack), "review", "--plain"], input="\n3\n", catch_exceptions=False)
    with ProgressStore.open() as store:
        store.suspend("gamma-c5")
        store.suspend("gamma-c3")
        store.make_due_now(["gamma-c4"])
        expected = stats(store, course)
    out = runner.invoke(cli, ["--content", str(pack), "cards", "stats"], catch_exceptions=False).output
    assert f"Cards: {expected.describe_cards()}" in out
    total = len(course.cards)
    assert expected.describe_cards() == f"{total} in the course = 1 studied + {total - 4} new + 1 due from labs + 2 suspended"
    assert f"Today: {expected.describe_today()}" in out and "1 from labs" in out and LAB_CARDS_RULE in out
    plain = runner.invoke(cli, ["--content", str(pack), "review", "--plain"], input="q\n", catch_exceptions=False).output
    assert f"Today: {expected.describe_today()}." in plain
    first = re.search(r"\[(.*?)\] card", plain).group(1)
    q = expected.queue_now
    assert first == f"{q['learning']} learning, {q['review']} review, {q['new']} new, {q['lab']} from labs"
