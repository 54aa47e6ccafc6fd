from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.locations import locations

from tests.srs.conftest import write_pack

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


@pytest.fixture
def cli_pack(tmp_path):
    return write_pack(tmp_path / "pack", {"clipack": 3}, tags={"clipack-c2": ["net"]})


def run(*args, input=None):
    return CliRunner().invoke(cli, list(map(str, args)), input=input, catch_exceptions=False)


def review_plain(pack: Path, *extra: str, input: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ztlab", "--content", str(pack), "review", "--plain", "--lesson", "clipack", *extra],
        input=input, capture_output=True, text=True, timeout=60,
    )


def review_in_process(pack: Path, *extra: str, input: str):
    """The same loop through click's runner: quicker than a subprocess, for the finer behaviour."""
    return run("--content", pack, "review", "--plain", "--lesson", "clipack", *extra, input=input)


def db_rows(sql: str):
    conn = sqlite3.connect(locations().progress_db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_review_plain_shows_front_back_intervals_and_saves(cli_pack):
    result = review_plain(cli_pack, input="\n3\n\ngood\n\n4\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Q: Question clipack-c0?" in out and "A: Answer clipack-c0." in out
    assert out.index("Q: Question clipack-c0?") < out.index("Press Enter") < out.index("A: Answer clipack-c0.")
    assert "1 again (1m)" in out and "3 good (10m)" in out
    saved = [line for line in out.splitlines() if line.startswith("saved")]
    assert len(saved) == 3 and saved[0].startswith("saved: clipack-c0 rated good")
    assert db_rows("SELECT card_id, rating FROM reviews ORDER BY id") == [("clipack-c0", 3), ("clipack-c1", 3), ("clipack-c2", 4)]
    assert "Traceback" not in result.stderr


def test_review_plain_stops_cleanly_at_end_of_input(cli_pack):
    result = review_plain(cli_pack, input="\n")  # answer shown, then stdin closes before a rating
    assert result.returncode == 0 and "End of input. 0 answer(s) saved" in result.stdout
    assert "Traceback" not in result.stderr and db_rows("SELECT count(*) FROM reviews") == [(0,)]


def test_review_plain_rejects_junk_then_undo_suspend_bury(cli_pack):
    result = review_in_process(cli_pack, input="\nmaybe\n2\nu\n\n3\ns\nb\n")
    out = result.output
    assert "Not understood: 'maybe'" in out
    assert "Undone: review of clipack-c0." in out
    assert "Suspended clipack-c1" in out and "Buried clipack-c2" in out
    assert db_rows("SELECT card_id, rating FROM reviews") == [("clipack-c0", 3)]
    assert db_rows("SELECT card_id, suspended, buried_until IS NOT NULL FROM cards ORDER BY card_id") == [
        ("clipack-c0", 0, 0), ("clipack-c1", 1, 0), ("clipack-c2", 0, 1)]


def test_review_ahead_does_not_change_the_schedule(cli_pack):
    review_in_process(cli_pack, input="\n4\n\n4\n\n4\n")
    before = db_rows("SELECT * FROM cards ORDER BY card_id")
    result = review_in_process(cli_pack, "--ahead", input="\n1\n\n1\n\n1\n")
    assert result.output.count("(practice, schedule unchanged)") == 3
    assert db_rows("SELECT * FROM cards ORDER BY card_id") == before
    assert db_rows("SELECT count(*) FROM reviews WHERE kind = 'practice'") == [(3,)]


def test_unknown_lesson_is_a_usage_error(cli_pack):
    result = run("--content", cli_pack, "review", "--plain", "--lesson", "nope")
    assert result.exit_code == 2 and "no lesson 'nope'" in result.output


def test_cards_due_lists_the_queue(cli_pack):
    result = run("--content", cli_pack, "cards", "due", "--lesson", "clipack")
    assert result.exit_code == 0
    assert "Due now (lesson clipack): 0 learning, 0 review, 3 new." in result.output
    assert "clipack-c2" in result.output
    tagged = run("--content", cli_pack, "cards", "due", "--tag", "net")
    assert "clipack-c2" in tagged.output and "clipack-c0" not in tagged.output


def test_cards_stats_json(cli_pack):
    review_in_process(cli_pack, input="\n4\n")
    result = run("--content", cli_pack, "cards", "stats", "--json")
    data = json.loads(result.output)
    assert data["reviews_today"] == 1 and data["streak"] == 1 and data["seen_cards"] == 1
    assert len(data["forecast_30d"]) == 30 and len(data["reviews_per_day"]) == 30
    lesson = next(m for m in data["mastery_by_lesson"] if m["id"] == "clipack")
    assert lesson["seen"] == 1 and lesson["cards"] == 3 and 0.3 < lesson["mastery"] <= 1 / 3 + 1e-9
    text = run("--content", cli_pack, "cards", "stats")
    assert "True retention (30 days)" in text.output and "clipack" in text.output


def test_export_import_round_trip_is_idempotent(cli_pack, tmp_path, monkeypatch):
    review_in_process(cli_pack, input="\n3\n\n4\n")
    run("--content", cli_pack, "cards", "export", tmp_path / "backup.json")
    backup = json.loads((tmp_path / "backup.json").read_text())
    assert backup["format"] == "ztlab-progress-backup" and backup["version"] == 1 and len(backup["reviews"]) == 2

    monkeypatch.setenv("ZTLAB_HOME", str(tmp_path / "other-home"))  # a fresh machine
    first = run("--content", cli_pack, "cards", "import", tmp_path / "backup.json")
    assert first.exit_code == 0 and "Imported 2 card state(s), 2 review(s)" in first.output
    second = run("--content", cli_pack, "cards", "import", tmp_path / "backup.json")
    assert "Imported 0 card state(s), 0 review(s)" in second.output
    assert db_rows("SELECT count(*) FROM reviews") == [(2,)]
    assert db_rows("SELECT card_id, reps FROM cards ORDER BY card_id") == [("clipack-c0", 1), ("clipack-c1", 1)]


@pytest.mark.parametrize("content, message", [
    ("not json {", "not valid JSON"),
    (json.dumps({"cards": []}), "no \"format\""),
    (json.dumps({"format": "ztlab-progress-backup", "version": 99}), "newer ztlab"),
    (json.dumps({"format": "ztlab-progress-backup", "version": 1, "exported_at": "x", "cards": [{"card_id": 3}],
                 "reviews": [], "lessons_done": {}, "lab_attempts": [], "lab_events": []}), "damaged ztlab backup"),
])
def test_import_refuses_files_that_are_not_ztlab_backups(tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content)
    result = run("cards", "import", path)
    assert result.exit_code == 2 and message in result.output
    assert db_rows("SELECT count(*) FROM cards") == [(0,)]


def test_commands_refuse_a_foreign_database_untouched(cli_pack):
    db = locations().progress_db
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_text("name,score\nalice,3\n" * 50)
    before = db.read_bytes()
    result = subprocess.run([sys.executable, "-m", "ztlab", "--content", str(cli_pack), "review", "--plain"],
                            input="", capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "not a SQLite database" in result.stderr and "Traceback" not in result.stderr
    for args in (["cards", "due"], ["cards", "stats"], ["cards", "export", db.parent / "backup.json"]):
        result = run("--content", cli_pack, *args)
        assert result.exit_code == 1 and "not a SQLite database" in result.output
    assert db.read_bytes() == before


def test_bad_settings_file_is_a_clear_error(cli_pack):
    config = locations().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(yaml.safe_dump({"desired_retention": 5}))
    result = run("--content", cli_pack, "cards", "due")
    assert result.exit_code == 2 and "desired_retention" in result.output


def test_damage_found_while_reading_is_a_clear_error(cli_pack):
    db = locations().progress_db
    run("--content", cli_pack, "review", "--plain", "--lesson", "clipack", input="\n3\n")
    conn = sqlite3.connect(db)  # grow the file past a few pages
    conn.executemany("INSERT INTO lessons_done VALUES (?, ?)", [(f"lesson-{n:05d}-" + "x" * 200, 1.0) for n in range(400)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    data[4096 * 2:] = b"\x07" * (len(data) - 4096 * 2)  # every page after the second
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    result = run("--content", cli_pack, "cards", "stats")
    assert result.exit_code == 1 and "ztlab:" in result.output and str(db) in result.output
    assert db.read_bytes() == before
