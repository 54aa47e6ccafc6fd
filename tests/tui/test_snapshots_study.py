"""SVG snapshots of Review, Stats and Labs at the shell's fixed size: a fixed clock, a store without
fuzz in a temp dir, and the deterministic test pack plus one spot-the-flaw card."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from tests.tui.conftest import SIZE, settle
from ztlab.srs import ProgressStore, Rating
from ztlab.tui import messages, progress_store

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)

FLAW_DECK = """\
    lesson: least
    cards:
      - id: least-spot-wildcard
        kind: spot-the-flaw
        principle: least-privilege
        front: What is wrong with this policy for a job that only reads reports?
        snippet:
          language: json
          code: |
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Action": "s3:*",
                            "Resource": "arn:aws:s3:::reports/*"}]}
        back: s3:* also lets it write, delete and change the bucket.
        explanation: Name the read actions (s3:GetObject) instead of a service wildcard.
    """


@pytest.fixture
def study_app(pack, make_app, tmp_path, monkeypatch):
    (pack / "flashcards" / "least.yaml").write_text(textwrap.dedent(FLAW_DECK), encoding="utf-8")
    monkeypatch.setattr(progress_store, "now", lambda: NOW)
    store = ProgressStore.open(tmp_path / "progress.db", fuzzing=False)
    for days_ago, rating in ((3, Rating.Good), (2, Rating.Easy), (1, Rating.Good)):
        store.review("perimeter-motto", rating, NOW - timedelta(days=days_ago))
    store.review("perimeter-breach", Rating.Again, NOW - timedelta(days=1))
    yield make_app(progress=store)
    store.close()


def _then(*keys: str, lesson: str | None = None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        if lesson:
            pilot.app.post_message(messages.ReviewCards(lesson))
            await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_review_front_with_a_highlighted_snippet(snap_compare, study_app):
    assert snap_compare(study_app, terminal_size=SIZE, run_before=_then(lesson="least"))


def test_review_revealed_with_next_intervals(snap_compare, study_app):
    assert snap_compare(study_app, terminal_size=SIZE, run_before=_then("space", lesson="least"))


def test_stats(snap_compare, study_app):
    assert snap_compare(study_app, terminal_size=SIZE, run_before=_then("t"))


def test_labs_catalogue(snap_compare, study_app):
    assert snap_compare(study_app, terminal_size=SIZE, run_before=_then("a"))
