"""Stats screen: numbers and charts from a store with a known history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.tui.conftest import SIZE, settle
from ztlab.srs import ProgressStore, Rating
from ztlab.tui import progress_store

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def history(tmp_path, monkeypatch):
    """Three days in a row of answers ending today, and one lab attempt scoring 40%."""
    monkeypatch.setattr(progress_store, "now", lambda: NOW)
    with ProgressStore.open(tmp_path / "progress.db", fuzzing=False) as store:
        for days_ago, rating in ((2, Rating.Easy), (1, Rating.Good), (0, Rating.Again)):
            store.review("perimeter-motto", rating, NOW - timedelta(days=days_ago))
        store.review("perimeter-breach", Rating.Easy, NOW - timedelta(days=2))
        attempt = store.record_lab_attempt("open-bucket", NOW - timedelta(hours=1))
        store.record_lab_event(attempt, "check", NOW - timedelta(minutes=30), score=0.4)
        yield store


async def test_stats_show_the_history(make_app, history):
    app = make_app(progress=history)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        numbers = str(screen.query_one("#stats-numbers").content)
        assert "Streak [b]3[/b]" in numbers
        assert "2 in the course = 2 studied + 0 new + 0 due from labs + 0 suspended" in numbers
        assert "Reviews today [b]1[/b]" in numbers
        # 4 answers over the last days: 3 per day at most, 1 today.
        assert sum(screen.query_one("#history").data) == 4
        assert len(screen.query_one("#forecast").data) == 30
        labs = screen.query_one("#lab-scores")
        assert [str(cell) for cell in labs.get_row_at(0)][:3] == ["Close the open bucket", "in progress", "40%"]
        table = screen.query_one("#mastery-principles")
        principles = {str(row[0]): row for row in map(table.get_row_at, range(table.row_count))}
        assert principles["Verify explicitly"][2] == "1"  # one card about it, seen


async def test_a_damaged_store_is_reported_and_the_app_keeps_working(make_app, tmp_path, monkeypatch):
    from ztlab.locations import locations

    db = locations().progress_db
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database at all" * 50)
    app = make_app(open_store=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.card_store is None and app.progress_problem
        assert any(n.title == "Progress not available" for n in app._notifications)
        await pilot.press("r")
        await pilot.pause()
        assert "Progress is not available" in str(app.screen.query_one("#card-front").content)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.sub_title == "Lessons"
    assert db.read_bytes().startswith(b"this is not")  # lose nothing: the file is left as it was
