"""Opening the learner's progress store for the app, off the main thread.

`ztlab.srs` pulls in fsrs and the content models, so `run_app` asks the app to open the store
after the first paint instead of before it. A damaged or foreign database is not fatal: the app
runs without progress and says why (what, where, how to fix) in a notification and on Review.
"""

from __future__ import annotations

from typing import Any


def open_progress_store(settings: Any) -> tuple[Any, str | None]:
    """(store, None) or (None, readable problem)."""
    from ztlab.srs import ProgressStore, StoreError

    try:
        return ProgressStore.open(settings=settings), None
    except StoreError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"cannot open the progress database: {exc}"


def is_card_store(progress: Any) -> bool:
    """True for a real ProgressStore (reviews, stats, lab attempts), not just lesson progress."""
    return hasattr(progress, "review") and hasattr(progress, "card_states")


def now():
    """The time reviews and statistics use; tests replace it to get a fixed clock."""
    from ztlab.srs.clock import utc_now

    return utc_now()
