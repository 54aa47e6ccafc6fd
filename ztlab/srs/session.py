"""A review session: the loop the app's Review screen and `ztlab review --plain` both drive.

It picks the next card from today's queue, previews the four intervals, records answers (each
committed before the next card), and steps back through undo. Practice mode (review ahead)
logs answers without moving any card's schedule and shows each card once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Callable

from fsrs import Rating

from ztlab.content import Course
from ztlab.srs.card_state import ReviewOutcome, UndoResult
from ztlab.srs.clock import to_epoch, utc_now
from ztlab.srs.queue import QueueFilter, QueueItem, build_queue
from ztlab.srs.scheduling import retrievability
from ztlab.srs.store import ProgressStore


class ReviewSession:
    def __init__(
        self, store: ProgressStore, course: Course, *, filters: QueueFilter | None = None,
        practice: bool = False, clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.course = course
        self.filters = filters or QueueFilter()
        self.practice = practice
        self.clock = clock
        self.current: QueueItem | None = None
        self.answered = 0
        self._queue: list[QueueItem] = []
        self._practiced: list[str] = []
        self._history: list[str] = []  # card ids of answers/actions, for undo

    def next_card(self) -> QueueItem | None:
        """The card to show now (the same one until it is answered, suspended or buried)."""
        if self.current is None:
            self._queue = build_queue(
                self.store, self.course, self.clock(), filters=self.filters, practice=self.practice,
                exclude=set(self._practiced),
            )
            self.current = self._queue[0] if self._queue else None
        return self.current

    def counts(self) -> Counter:
        """kind -> cards left in the queue, the current one included."""
        return Counter(item.kind for item in self._queue)

    def preview(self) -> dict[Rating, timedelta]:
        return self.store.preview(self._require().card_id, self.clock())

    def retrievability(self) -> float | None:
        """Chance of recalling the current card right now (None for a new card)."""
        state = self.store.card_state(self._require().card_id)
        if state.is_new:
            return None
        return retrievability(self.store.scheduler, state.stability, state.last_review, self.clock())

    def answer(self, rating: Rating | int, duration_ms: int | None = None) -> ReviewOutcome:
        item = self._require()
        outcome = self.store.review(item.card_id, rating, self.clock(), practice=self.practice, duration_ms=duration_ms)
        if self.practice:
            self._practiced.append(item.card_id)
        self._history.append(item.card_id)
        self.answered += 1
        self.current = None
        return outcome

    def suspend(self) -> None:
        self._act(self.store.suspend)

    def bury(self) -> None:
        self._act(self.store.bury)

    def _act(self, action) -> None:
        item = self._require()
        action(item.card_id, self.clock())
        self._history.append(item.card_id)
        self.current = None

    def undo(self) -> UndoResult | None:
        """Take back the latest answer/suspend/bury; that card is shown again next."""
        result = self.store.undo()
        if result is None:
            return None
        if self._history and self._history[-1] == result.card_id:
            self._history.pop()
        if result.action in ("review", "practice"):
            self.answered = max(0, self.answered - 1)
        if result.action == "practice" and result.card_id in self._practiced:
            self._practiced.remove(result.card_id)
        card = self.course.cards.get(result.card_id)
        if card is not None:
            state = self.store.card_state(result.card_id)
            kind = "practice" if self.practice else ("new" if state.is_new else "learning" if state.state in (1, 3) else "review")
            self.current = QueueItem(result.card_id, kind, to_epoch(state.due), card)
        else:
            self.current = None
        return result

    def _require(self) -> QueueItem:
        if self.current is None and self.next_card() is None:
            raise LookupError("no card to review")
        assert self.current is not None
        return self.current
