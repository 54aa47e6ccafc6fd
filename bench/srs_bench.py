"""Spaced-repetition speed on a large collection: 100,000 cards with a year of synthetic history.

Targets (issue 3): build today's queue <= 20 ms, answer a card (schedule + commit) <= 5 ms at p99,
open the store <= 200 ms.

    PYTHONPATH=. python bench/srs_bench.py [--cards 100000] [--answers 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from ztlab.content import Course
from ztlab.content.models import Card, Lesson
from ztlab.settings import Settings
from ztlab.srs import ProgressStore, Rating, build_queue, stats
from ztlab.srs.queue import course_order
from ztlab.srs.card_state import COLUMNS
from ztlab.srs.clock import to_epoch, utc_now
from ztlab.srs.store import SYNCHRONOUS

PRINCIPLES = ["verify-explicitly", "least-privilege", "micro-segmentation", "encrypt-everything", "continuous-monitoring", "assume-breach"]


def synthetic_course(n_cards: int, n_lessons: int = 50) -> Course:
    course = Course()
    for index in range(n_lessons):
        lesson = Lesson.model_construct(id=f"lesson-{index}", title=f"Lesson {index}", principles=[PRINCIPLES[index % 6]],
                                        order=index, summary="s", sections=[], takeaways=["t"], cards=[], labs=[])
        course.lessons[lesson.id] = lesson
    for index in range(n_cards):
        card = Card.model_construct(id=f"card-{index:06d}", kind="basic", principle=PRINCIPLES[index % 6], tags=[],
                                    front="front", snippet=None, back="back", explanation=None)
        course.cards[card.id] = card
        course.card_lesson[card.id] = f"lesson-{index % n_lessons}"
    return course


def fill_history(store: ProgressStore, course: Course, rng: random.Random) -> int:
    """Card rows and review logs as a year of daily study would leave them (90% of cards seen)."""
    now = to_epoch(store.day_start(utc_now()))  # history up to last night: nothing answered yet today
    day = 86400.0
    card_rows, review_rows = [], []
    studied = int(len(course.cards) * 0.9)
    for position, card_id in enumerate(course.cards):
        if position >= studied:
            break  # learners go through the course in order: the last 10% are still new
        reps = rng.randint(2, 12)
        times = sorted(now - rng.uniform(0, 365) * day for _ in range(reps))
        stability = rng.uniform(0.5, 400)
        last = times[-1]
        due = last + min(stability * rng.uniform(0.8, 1.2), 365) * day
        state = 2 if rng.random() > 0.01 else 3
        lapses = rng.choice([0, 0, 0, 1, 2])
        card_rows.append((card_id, state, None if state == 2 else 0, stability, rng.uniform(1, 10), due, last,
                          reps, lapses, int(rng.random() < 0.01), None, 0))
        for nth, at in enumerate(times):
            review_rows.append((uuid.uuid4().hex, card_id, rng.choice([1, 3, 3, 3, 3, 3, 3, 2, 4]), at,
                                0 if nth == 0 else 2, "new" if nth == 0 else "review", None, None, None))
    store.read("PRAGMA cache_size = -400000")  # bulk load: keep the indexes in memory
    with store.write_transaction() as conn:
        conn.executemany(f"INSERT INTO cards ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", card_rows)
        conn.executemany(
            "INSERT INTO reviews (uid, card_id, rating, reviewed_at, state_before, kind, elapsed_days, interval_days,"
            " duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", review_rows)
    store.read("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(review_rows)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="Build the database in this folder and leave it there.")
    args = parser.parse_args()

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args, args.keep)
    with tempfile.TemporaryDirectory(prefix="ztlab-srs-bench-") as folder:  # 125 MB: not left behind
        return run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> int:
    rng = random.Random(20261128)
    path = folder / "progress.sqlite3"
    path.unlink(missing_ok=True)
    settings = Settings()  # default limits: 20 new, 200 reviews a day
    uncapped = Settings(reviews_per_day=99_999)

    started = time.perf_counter()
    course = synthetic_course(args.cards)
    with ProgressStore.open(path, settings=settings) as store:
        n_reviews = fill_history(store, course, rng)
    size_mb = path.stat().st_size / 1e6
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (figures are wall-clock)")
    print(f"collection: {args.cards:,} cards, {n_reviews:,} reviews over a year, {size_mb:.0f} MB "
          f"(built in {time.perf_counter() - started:.1f} s) at {path}")

    opens = []
    for _ in range(20):
        t0 = time.perf_counter()
        store = ProgressStore.open(path, settings=settings)
        opens.append(time.perf_counter() - t0)
        store.close()
    print(f"open the store:        first {ms(opens[0])}, p50 {ms(statistics.median(opens))}, max {ms(max(opens))}   (target <= 200 ms)")

    store = ProgressStore.open(path, settings=settings)
    course_order(course)  # the course is loaded and ordered once per app run, not per queue
    t0, c0 = time.perf_counter(), time.process_time()
    queue = build_queue(store, course)
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    warm, warm_cpu = [], []
    for _ in range(30):
        t0, c0 = time.perf_counter(), time.process_time()
        queue = build_queue(store, course)
        warm.append(time.perf_counter() - t0)
        warm_cpu.append(time.process_time() - c0)
    counts = {kind: sum(item.kind == kind for item in queue) for kind in ("learning", "review", "new")}
    print(f"build today's queue:   first after opening {ms(cold)}, then p50 {ms(statistics.median(warm))}, max {ms(max(warm))}   "
          f"(target <= 20 ms; default limits: {counts['learning']} learning, {counts['review']} review, {counts['new']} new)")
    print(f"  CPU time: first {ms(cold_cpu)}, then p50 {ms(statistics.median(warm_cpu))}, max {ms(max(warm_cpu))}")
    all_due = []
    for _ in range(10):
        t0 = time.perf_counter()
        everything = build_queue(store, course, settings=uncapped)
        all_due.append(time.perf_counter() - t0)
    print(f"  same, no review limit: p50 {ms(statistics.median(all_due))}, max {ms(max(all_due))} ({len(everything):,} cards due)")

    answer_times, answer_cpu = [], []
    for item in everything[: args.answers]:
        t0, c0 = time.perf_counter(), time.process_time()
        store.review(item.card_id, rng.choice([Rating.Again, Rating.Hard, Rating.Good, Rating.Good, Rating.Easy]))
        answer_times.append(time.perf_counter() - t0)
        answer_cpu.append(time.process_time() - c0)
    print(f"answer a card:         p50 {ms(statistics.median(answer_times))}, p99 {ms(percentile(answer_times, 0.99))}, "
          f"max {ms(max(answer_times))} over {len(answer_times)} answers   (target p99 <= 5 ms; schedule + commit, synchronous={SYNCHRONOUS})")
    print(f"  CPU time per answer: p50 {ms(statistics.median(answer_cpu))}, p99 {ms(percentile(answer_cpu, 0.99))} "
          "(wall minus waiting for a CPU or the disk)")

    t0 = time.perf_counter()
    queue = build_queue(store, course)
    print(f"queue after answering: {ms(time.perf_counter() - t0)} (limits now count today's answers)")

    t0 = time.perf_counter()
    result = stats(store, course)
    print(f"stats (whole collection): {ms(time.perf_counter() - t0)}; due today {result.due_today}, "
          f"true retention {result.true_retention_30d:.1%}, streak {result.streak}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
