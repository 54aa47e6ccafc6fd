"""Poisoned progress backups are refused whole, before the store is touched, with the card named."""

from __future__ import annotations

import json
import os
import time

import pytest

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

GOOD_CARD = {"card_id": "chk-mfa-all-users", "state": 2, "step": None, "stability": 12.5, "difficulty": 5.0,
             "due": time.time() + 86_400 * 10, "last_review": time.time() - 86_400 * 2, "reps": 3, "lapses": 0,
             "suspended": False, "buried_until": None, "leech": False}


def _backup(path, cards):
    path.write_text(json.dumps({"format": "ztlab-progress-backup", "version": 1, "exported_at": "2026-01-01T00:00:00+00:00",
                                "cards": cards, "reviews": [], "lessons_done": {}, "lab_attempts": [], "lab_events": []}))
    return path


POISON = {
    "last-review-1e300": ({"last_review": 1e300}, "last_review"),
    "last-review-future": ({"last_review": time.time() + 86_400 * 30, "due": time.time() + 86_400 * 60}, "lies in the future"),
    "stability-negative": ({"stability": -3.0}, "stability"),
    "review-without-stability": ({"stability": None}, "needs stability"),
    "new-with-reviews": ({"state": 0, "stability": None, "difficulty": None, "last_review": None}, "a new card (state 0)"),
    "difficulty-out-of-range": ({"difficulty": 11}, "difficulty"),
    "lapses-over-reps": ({"lapses": 9}, "more lapses than reviews"),
}


@pytest.mark.parametrize("case", list(POISON))
def test_a_poisoned_card_refuses_the_whole_file_and_reviews_keep_working(ztlab, tmp_path, case):
    change, message = POISON[case]
    other = dict(GOOD_CARD, card_id="chk-root-no-access-keys")
    poisoned = _backup(tmp_path / "poisoned.json", [other, dict(GOOD_CARD, **change)])
    result = ztlab("cards", "import", poisoned, cpu_limit=10)
    assert result.code in (1, 2)
    assert f"{poisoned}: damaged ztlab backup at cards.1" in result.err and "(card 'chk-mfa-all-users')" in result.err
    assert message in result.err and "Nothing was imported" in result.err
    genuine = _backup(tmp_path / "genuine.json", [GOOD_CARD])
    assert "Imported 1 card state(s)" in ztlab("cards", "import", genuine, cpu_limit=10).out
    assert ztlab("review", "--plain", cpu_limit=15, input="q\n").code in (0, 1)


@pytest.mark.parametrize("body,expected", [
    (b"[" * 100_000, "nests deeper than 100 levels"),
    (b'{"format": "ztlab-progress-backup", "version": ' + b"7" * 5000 + b"}", "holds a 5000-digit number"),
    (b'{"format": "ztlab-progress-backup", "version": 1e400}', "too large to be a finite number"),
], ids=["deep", "long-number", "huge-float"])
def test_hostile_backup_json_is_refused_with_its_place(ztlab, tmp_path, body, expected):
    file = tmp_path / "b.json"
    file.write_bytes(body)
    result = ztlab("cards", "import", file, cpu_limit=10)
    assert result.code in (1, 2)
    assert f"{file}:1:" in result.err and expected in result.err


def test_an_emptied_progress_database_is_never_silently_replaced(ztlab, ztlab_home):
    db = ztlab_home / "data" / "progress.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"")
    old = time.time() - 3600
    os.utime(db, (old, old))
    result = ztlab("cards", "due", cpu_limit=10)
    assert result.code in (1, 2)
    assert f"{db}: the progress database is empty (0 bytes)" in result.err and "cards import" in result.err
    assert db.stat().st_size == 0
