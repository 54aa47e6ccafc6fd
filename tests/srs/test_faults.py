"""Two processes at once, and `kill -9` in the middle of a review session: nothing acknowledged
is lost and the database stays sound."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from ztlab.locations import locations

from tests.srs.conftest import write_pack

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

WRITER = """
import sys
from ztlab.srs import ProgressStore, Rating

store = ProgressStore.open(sys.argv[1])
for n in range(int(sys.argv[2])):
    store.review("shared", Rating.Again)
    store.review(f"{sys.argv[3]}-{n}", Rating.Good)
print("done")
"""


def test_two_processes_never_lose_an_update(tmp_path):
    path = tmp_path / "p.sqlite3"
    answers = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(answers), name],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("first", "second")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "done" in out, err
    conn = sqlite3.connect(path)
    # every read-modify-write of the shared card happened under the write lock: none overwritten
    assert conn.execute("SELECT reps FROM cards WHERE card_id = 'shared'").fetchone() == (2 * answers,)
    assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (4 * answers,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


SAVED = re.compile(r"^saved: (\S+) rated (\w+), review #(\d+)")


def _session(pack: Path, rng: random.Random, kill_after: float, stderr_file: Path) -> tuple[list[tuple[str, int, int]], int]:
    """Run one plain review session, answering as fast as it asks, and kill -9 it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ztlab", "--content", str(pack), "review", "--plain", "--lesson", "kill"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file.open("a"), text=True, bufsize=1,
    )
    acknowledged: list[tuple[str, int, int]] = []
    started = threading.Event()
    names = {"again": 1, "hard": 2, "good": 3, "easy": 4}

    def read() -> None:
        for line in proc.stdout:
            match = SAVED.match(line)
            if match:
                acknowledged.append((match[1], names[match[2]], int(match[3])))
                started.set()

    def write() -> None:
        try:
            while proc.poll() is None:
                # mostly again/hard, which keep cards in learning, so the session never runs dry
                proc.stdin.write(f"\n{rng.choice([1, 1, 2, 2, 2, 3, 4])}\n")
                proc.stdin.flush()
                time.sleep(rng.uniform(0, 0.004))
        except (BrokenPipeError, ValueError, OSError):
            pass

    reader = threading.Thread(target=read)
    writer = threading.Thread(target=write)
    reader.start()
    writer.start()
    # Start-up is slow on a busy CI machine: wait for the first saved answer, then kill at a random
    # moment of the session (between answers, mid-commit, while printing...).
    started.wait(timeout=60)
    time.sleep(kill_after)
    proc.kill()  # SIGKILL: no cleanup, no flush, possibly mid-commit
    proc.wait()
    writer.join()
    reader.join()
    return acknowledged, proc.returncode


def test_kill_9_mid_session_loses_no_saved_answer(tmp_path):
    # Enough cards that no session can run out of due ones before it is killed, however fast it answers.
    pack = write_pack(tmp_path / "pack", {"kill": 2000})
    config = locations().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(yaml.safe_dump({"new_cards_per_day": 9999}))
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    acknowledged, codes = [], []
    for _round in range(4):
        answers, returncode = _session(pack, rng, rng.uniform(0.05, 1.2), tmp_path / "stderr.txt")
        acknowledged += answers
        codes.append(returncode)
        conn = sqlite3.connect(locations().progress_db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",), f"seed {seed}"
            stored = set(conn.execute("SELECT card_id, rating, id FROM reviews").fetchall())
        finally:
            conn.close()
        missing = [answer for answer in acknowledged if answer not in stored]
        assert not missing, f"acknowledged but lost (seed {seed}): {missing}"
    assert len(acknowledged) >= 4, f"the sessions hardly answered anything (seed {seed})"
    assert codes.count(-9) >= 3, f"the sessions ended on their own instead of being killed (seed {seed}): {codes}\n{(tmp_path / 'stderr.txt').read_text()[-3000:]}"
