"""Review speed and memory on a 100k-card collection, beside an Anki-shaped baseline on the same file.

    python -m bench.review --collection DIR [--answers 300] [--rss]

ztlab: `ReviewSession.next_card()` + `answer()` (what a key press in Review does). Baseline: the
least work any FSRS reviewer must do per answer, written directly against SQLite the way Anki's
backend does it: the next due card by index, `fsrs.Scheduler.review_card`, UPDATE the card, INSERT
the review log, COMMIT. `--rss` prints the peak RSS of a process that loads the 100k-card course,
opens the store and answers cards. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CARDS = 100_000


def collection(folder: Path):
    """The synthetic course and the store's path, building the year of history once per folder."""
    import srs_bench

    from ztlab.settings import Settings
    from ztlab.srs import ProgressStore

    course = srs_bench.synthetic_course(CARDS)
    path = folder / "progress.sqlite3"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / "building.sqlite3"
        partial.unlink(missing_ok=True)
        with ProgressStore.open(partial, settings=Settings()) as store:
            srs_bench.fill_history(store, course, random.Random(20261128))
        partial.rename(path)
    return course, path


def ztlab_answers(course, path: Path, answers: int) -> list[float]:
    from ztlab.settings import Settings
    from ztlab.srs import ProgressStore, ReviewSession

    rng = random.Random(7)
    per_answer = []
    with ProgressStore.open(path, settings=Settings(reviews_per_day=99_999)) as store:
        session = ReviewSession(store, course)
        session.next_card()  # building today's queue once is part of opening Review, not of an answer
        for _ in range(answers):
            started = time.perf_counter()
            if session.next_card() is None:
                break
            session.answer(rng.choice([1, 3, 3, 3, 4]))
            per_answer.append(time.perf_counter() - started)
    return per_answer


def baseline_answers(path: Path, answers: int) -> list[float]:
    from datetime import datetime, timezone

    from fsrs import Card, Rating, Scheduler, State

    rng = random.Random(7)
    scheduler = Scheduler(enable_fuzzing=False)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    per_answer = []
    for _ in range(answers):
        started = time.perf_counter()
        now = datetime.now(timezone.utc)
        row = conn.execute("SELECT card_id, stability, difficulty, due, last_review FROM cards"
                           " WHERE suspended = 0 AND state = 2 AND due < ? ORDER BY due LIMIT 1",
                           (now.timestamp() + 86400,)).fetchone()
        if row is None:
            break
        card = Card(card_id=1, state=State.Review, step=None, stability=row[1], difficulty=row[2],
                    due=datetime.fromtimestamp(row[3], timezone.utc),
                    last_review=datetime.fromtimestamp(row[4], timezone.utc))
        rating = rng.choice([Rating.Again, Rating.Good, Rating.Good, Rating.Easy])
        after, _ = scheduler.review_card(card, rating, now)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE cards SET stability = ?, difficulty = ?, due = ?, last_review = ?, reps = reps + 1"
                     " WHERE card_id = ?", (after.stability, after.difficulty, after.due.timestamp(),
                                            now.timestamp(), row[0]))
        conn.execute("INSERT INTO reviews (uid, card_id, rating, reviewed_at, state_before, kind) VALUES (?, ?, ?, ?, 2, 'review')",
                     (uuid.uuid4().hex, row[0], int(rating), now.timestamp()))
        conn.execute("COMMIT")
        per_answer.append(time.perf_counter() - started)
    conn.close()
    return per_answer


def peak_rss(course, path: Path) -> float:
    from ztlab.settings import Settings
    from ztlab.srs import ProgressStore, ReviewSession

    with ProgressStore.open(path, settings=Settings()) as store:
        session = ReviewSession(store, course)
        for _ in range(50):
            if session.next_card() is None:
                break
            session.answer(3)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--collection", type=Path, required=True)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--rss", action="store_true")
    args = parser.parse_args()
    course, path = collection(args.collection)
    if args.rss:
        print(json.dumps({"peak_rss_mb": peak_rss(course, path)}))
        return
    print(json.dumps({"ztlab": ztlab_answers(course, path, args.answers),
                      "baseline": baseline_answers(path, args.answers)}))


if __name__ == "__main__":
    main()
