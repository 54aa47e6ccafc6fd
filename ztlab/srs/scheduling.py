"""FSRS scheduling through the `fsrs` package, set up from the learner's settings.

Fuzz is seeded per card and per review count (as Anki does), so the intervals previewed on the
rating buttons are exactly the ones the answer then gets, while intervals still spread out.
"""

from __future__ import annotations

import random
import zlib
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Iterator

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from ztlab.settings import Settings

RATING_NAMES: dict[Rating, str] = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}
RATINGS_BY_NAME: dict[str, Rating] = {name: rating for rating, name in RATING_NAMES.items()}


def parse_rating(text: str) -> Rating | None:
    """`1`-`4` or a rating name (any case); None when it is neither."""
    text = text.strip().lower()
    if text in {"1", "2", "3", "4"}:
        return Rating(int(text))
    return RATINGS_BY_NAME.get(text)


def make_scheduler(settings: Settings, *, fuzzing: bool = True) -> Scheduler:
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
        enable_fuzzing=fuzzing,
    )


def retrievability(scheduler: Scheduler, stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """Chance of recall now, from the elapsed time in seconds (fsrs itself counts whole days).

    Same forgetting curve as the installed fsrs: R = (1 + FACTOR * t / S) ** DECAY with
    DECAY = -w[20] and FACTOR = 0.9 ** (1 / DECAY) - 1, t in (fractional) days.
    """
    if stability is None or last_review is None or stability <= 0:
        return 0.0
    decay, factor = forgetting_curve(scheduler)
    elapsed_days = max(0.0, (now - last_review).total_seconds() / 86400)
    return (1 + factor * elapsed_days / stability) ** decay


def forgetting_curve(scheduler: Scheduler) -> tuple[float, float]:
    """(DECAY, FACTOR) of the scheduler's forgetting curve, as fsrs 6 defines them."""
    decay = -scheduler.parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


@contextmanager
def seeded_fuzz(card_id: str, reps: int) -> Iterator[None]:
    """Run with the global `random` (which fsrs fuzzes with) seeded for this card and review."""
    saved = random.getstate()
    random.seed(zlib.crc32(f"{card_id}:{reps}".encode()))
    try:
        yield
    finally:
        random.setstate(saved)


def schedule(scheduler: Scheduler, card: FsrsCard, card_id: str, reps: int, rating: Rating, now: datetime) -> FsrsCard:
    with seeded_fuzz(card_id, reps):
        new_card, _log = scheduler.review_card(card, rating, now)
    return new_card


__all__ = ["FsrsCard", "Rating", "Scheduler", "State", "make_scheduler", "parse_rating", "retrievability", "schedule"]
