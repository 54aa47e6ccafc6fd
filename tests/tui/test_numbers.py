"""The app's numbers stay true: Home's Today line after reviews, settings changes and undo; the
Review screen notices answers made by `ztlab review --plain` on the same store; card Markdown is
rendered, not shown with its backticks."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui.conftest import SIZE, settle, shown_text
from tests.tui.test_review import NOW, fixed_clock, store  # noqa: F401 (fixtures)
from ztlab.srs import ProgressStore, Rating


def today(app) -> str:
    return shown_text(app.screen.query_one("#today"), width=200)


async def go(pilot, key: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_home_today_line_follows_reviews_settings_and_undo(make_app, store, fixed_clock):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "2 to study now: 0 learning, 0 review, 2 new" in today(app)
        assert "of 20 a day" in today(app)
        await go(pilot, "r")
        await pilot.press("space")
        await pilot.pause()
        await go(pilot, "4")
        await go(pilot, "h")
        assert "1 to study now: 0 learning, 0 review, 1 new" in today(app)  # stale before: 2 new
        assert "2 in the course = 1 studied + 1 new" in today(app)
        # Progress by principle shows progress, not course totals that never change.
        table = app.screen.query_one("#principles")
        rows = {str(row[0]): [str(cell) for cell in row] for row in map(table.get_row_at, range(table.row_count))}
        assert rows["Verify explicitly"][2] == "1 / 1" and rows["Assume breach"][2] == "0 / 1"
        assert rows["Least privilege"][3] == "0 / 1"  # the one lab, not passed
        # A new limit applies at once: on Home, and in the Review queue, without a restart.
        await go(pilot, "s")
        field = app.screen.query_one("#input-new_cards_per_day", Input)
        field.focus()
        field.clear()
        await pilot.press("1")
        await pilot.pause()
        assert store.settings.new_cards_per_day == 1
        await go(pilot, "escape")  # leave the field
        await go(pilot, "h")
        assert "of 1 a day" in today(app) and "0 to study now" in today(app)
        # Undo on Review brings the card back, and Home counts it again.
        await go(pilot, "r")
        await go(pilot, "u")
        assert "left: [b]1[/b] new" in str(app.screen.query_one("#review-status").content)
        await go(pilot, "h")
        assert "2 in the course = 0 studied + 2 new" in today(app)


async def test_review_notices_a_card_answered_by_the_cli_and_never_answers_it_twice(make_app, store, fixed_clock, tmp_path):
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "r")
        shown = app.screen.session.current.card_id
        await pilot.press("space")
        await pilot.pause()
        # `ztlab review --plain` in another terminal answers the same card on the same file.
        with ProgressStore.open(tmp_path / "progress.db", fuzzing=False) as other:
            other.review(shown, Rating.Good, NOW)
        await go(pilot, "3")
        assert len([row for row in store.review_log() if row[0] == shown]) == 1
        assert app.screen.session.current is None or app.screen.session.current.card_id != shown
        # Whether the poll or the answer noticed first (a busy machine decides), the learner is told.
        assert any("another ztlab window" in str(n.message) for n in app._notifications)
        # The poll notices the next card being answered elsewhere before anything is pressed: the
        # screen shows it as it is now (a learning card, or another card), not as the new card it was.
        current = app.screen.session.current
        assert current.kind == "new"
        with ProgressStore.open(tmp_path / "progress.db", fuzzing=False) as other:
            other.review(current.card_id, Rating.Good, NOW)

        def moved_on() -> bool:
            now = app.screen.session.current
            return now is None or now.card_id != current.card_id or now.kind != "new"

        for _ in range(60):
            await pilot.pause(0.05)
            if moved_on():
                break
        assert moved_on()
        assert "0[/b] new" in str(app.screen.query_one("#review-status").content)


async def test_card_markdown_is_rendered(make_app, store, fixed_clock, pack):
    deck = pack / "flashcards" / "perimeter.yaml"
    deck.write_text(deck.read_text().replace("Does being inside the network grant trust?",
                                             "Does `aws:SourceVpc` alone grant *trust*?"), encoding="utf-8")
    app = make_app(progress=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go(pilot, "r")
        front = shown_text(app.screen.query_one("#card-front"))
        assert "aws:SourceVpc" in front and "`" not in front and "*trust*" not in front
