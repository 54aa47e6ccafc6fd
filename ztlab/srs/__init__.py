"""Spaced repetition: FSRS scheduling (the `fsrs` package), the SQLite progress store, today's
queue, review sessions and statistics. No Textual here: the app and the CLI are shells over it."""

from fsrs import Rating

from ztlab.srs.card_state import CardState, ReviewOutcome, UndoResult
from ztlab.srs.clock import describe_interval
from ztlab.srs.lab_attempts import LabAttempt, LabEvent
from ztlab.srs.queue import QueueFilter, QueueItem, build_queue
from ztlab.srs.scheduling import RATING_NAMES, make_scheduler, parse_rating, retrievability
from ztlab.srs.session import ReviewSession
from ztlab.srs.stats import Mastery, Stats, stats
from ztlab.srs.errors import ChangedElsewhere
from ztlab.srs.store import LEECH_LAPSES, ProgressStore, StoreError

__all__ = [
    "CardState", "ChangedElsewhere", "LEECH_LAPSES", "LabAttempt", "LabEvent", "Mastery", "ProgressStore", "QueueFilter",
    "QueueItem", "RATING_NAMES", "Rating", "ReviewOutcome", "ReviewSession", "Stats", "StoreError",
    "UndoResult", "build_queue", "describe_interval", "make_scheduler", "parse_rating", "retrievability", "stats",
]
