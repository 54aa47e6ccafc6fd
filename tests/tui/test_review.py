"""Review screen: a whole session that persists, undo, suspend, and a lesson filter."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.tui.conftest import SIZE, settle, shown_text, wait_until
from ztlab.srs import ProgressStore
from ztlab.tui import progress_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(progress_store, "now", lambda: NOW)


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "progress.db", fuzzing=False) as opened:
        yield opened


def shown_front(app) -> str:
    return shown_text(app.screen.query_one("#card-front")).strip()


async def open_review(pilot) -> None:
    await settle(pilot)
    await pilot.press("r")
    await pilot.pause()
    assert pilot.app.screen.sub_title == "Review"


async def test_a_full_session_is_saved_and_summarised(make_app, store, fixed_clock, tmp_path):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        seen = []
        # Easy sends a new card days ahead; Again brings it back within minutes (learning ahead,
        # as Anki does when nothing else is left), so the session is: easy, again, easy.
        for rating in ("4", "1", "4"):
            seen.append(shown_front(app))
            assert app.screen.query_one("#rate-3").disabled  # no rating before the answer is shown
            await pilot.press("space")
            await pilot.pause()
            assert app.screen.query_one("#card-back").display
            assert "10m" in str(app.screen.query_one("#rate-3").label) or rating == "4" and len(seen) == 3
            await pilot.press(rating)
            await pilot.pause()
        assert seen[0] != seen[1] and seen[2] == seen[1]
        summary = str(app.screen.query_one("#review-summary").content)
        assert app.screen.query_one("#review-summary").display
        assert "3[/b] card(s) reviewed" in summary and "Easy [b]2" in summary and "Again [b]1" in summary
        assert "67% recalled" in summary
    with ProgressStore.open(tmp_path / "progress.db") as reopened:
        log = reopened.review_log()
        assert len(log) == 3
        assert all(not reopened.card_state(card).is_new for card in ("perimeter-motto", "perimeter-breach"))


async def test_undo_takes_back_answers_one_by_one(make_app, store, fixed_clock):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        first = shown_front(app)
        await pilot.press("space", "4")
        await pilot.pause()
        second = shown_front(app)
        await pilot.press("space", "4")
        await pilot.pause()
        assert app.screen.query_one("#review-summary").display
        await pilot.press("u")
        await pilot.pause()
        assert shown_front(app) == second
        await pilot.press("u")
        await pilot.pause()
        assert shown_front(app) == first
        assert "reviewed: [b]0[/b]" in str(app.screen.query_one("#review-status").content)
        assert store.card_state("perimeter-motto").is_new and store.card_state("perimeter-breach").is_new


def footer_keys(app) -> list[str]:
    return [key.description for key in app.screen.query("FooterKey")]


async def test_the_footer_shows_the_keys_that_mean_something_now(make_app, store, fixed_clock):
    # The footer is rebuilt only when its keys change: it must still follow every change.
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await wait_until(pilot, lambda: "Show answer" in footer_keys(app), "the reveal key in the footer")
        assert {"Suspend", "Bury", "Lessons", "Quit"} <= set(footer_keys(app))
        await pilot.press("space")
        await wait_until(pilot, lambda: "Show answer" not in footer_keys(app), "the reveal key gone once revealed")
        assert "Suspend" in footer_keys(app)
        await pilot.press("l")
        await wait_until(pilot, lambda: app.screen.sub_title == "Lessons", "the lessons screen")
        await pilot.press("r")
        await wait_until(pilot, lambda: app.screen.sub_title == "Review", "review again")
        assert "Show answer" not in footer_keys(app) and "Suspend" in footer_keys(app)
        await pilot.press("4")  # easy, again, easy (as in the full session above) ends the queue
        for rating in ("1", "4"):
            await wait_until(pilot, lambda: "Show answer" in footer_keys(app), "the next card's reveal key")
            await pilot.press("space")
            await wait_until(pilot, lambda: app.screen.query_one("#card-back").display, "the answer")
            await pilot.press(rating)
        await wait_until(pilot, lambda: "Suspend" not in footer_keys(app), "card keys gone after the last card")
        assert app.screen.query_one("#review-summary").display and "Undo" in footer_keys(app)


async def test_suspend_hides_the_card_and_bury_skips_it(make_app, store, fixed_clock):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        first = shown_front(app)
        await pilot.press("x")
        await pilot.pause()
        assert shown_front(app) != first
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one("#review-summary").display
        assert "0[/b] card(s) reviewed" in str(app.screen.query_one("#review-summary").content)
    states = store.card_states()
    assert sum(state.suspended for state in states.values()) == 1


async def test_reviewing_one_lessons_cards_from_the_reader(make_app, store, fixed_clock):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")  # keys typed before a screen shows are dropped: one at a time
        await pilot.pause()
        await pilot.press("down", "enter")  # the second lesson has no cards
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.sub_title == "Review"
        assert "lesson least" in str(app.screen.query_one("#review-summary").content)
        await pilot.press("f")  # all cards again
        await pilot.pause()
        assert app.screen.query_one("#card-front").display and not app.screen.query_one("#review-summary").display


async def test_help_lists_the_review_keys_and_the_palette_opens_a_lab(make_app, store, fixed_clock):
    from textual.command import CommandPalette

    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        ids = {str(row[2]) for row in app.screen.rows}
        assert {"review.reveal", "review.undo", "review.suspend", "review.bury"} <= ids
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"open lab close")
        for _ in range(40):
            await pilot.pause(0.05)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.sub_title == "Close the open bucket":
                break
        assert app.screen.sub_title == "Close the open bucket"
