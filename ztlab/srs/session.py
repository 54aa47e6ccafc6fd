"""A review session: the loop the app's Review screen and `ztlab review --plain` both drive.

It picks the next card from today's queue, previews the four intervals, records answers (each
committed before the next card), and steps back through undo. Practice mode (review ahead)
logs answers without moving any card's schedule and shows each card once.

The queue is built once and then kept in step with this session's own answers (at 100k cards a
rebuild costs ~12 ms, an answer ~0.3 ms): an answered card leaves the queue, and one still in
learning comes back when its step is due. It is rebuilt only when it runs dry, the learner's day
rolls over, or another process (a lab check, a second window) wrote to the store.

The app and `ztlab review --plain` may answer the same store at once. The session notices another
process's writes (SQLite's data_version) before showing a card, and an answer is saved only if
the card is still as it was shown (`ProgressStore.review(expected=...)`): no card is answered twice.
"""

from __future__ import annotations

import heapq
from collections import Counter
from datetime import datetime, timedelta
from typing import Callable

from fsrs import Rating

from ztlab.content import Course
from ztlab.srs.card_state import CardState, ReviewOutcome, UndoResult
from ztlab.srs.clock import to_epoch, utc_now
from ztlab.srs.errors import ChangedElsewhere
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
        # Cards answered this session that are still in learning: (due epoch, card id), soonest first.
        self._learning: list[tuple[float, str]] = []
        self._built_for: tuple[datetime, int] | None = None  # (learner's day, store generation)
        self._seen_version: int | None = None  # the store's data_version when the queue was built
        self._shown: CardState | None = None  # the current card's state when it was picked

    def changed_elsewhere(self) -> bool:
        """True when another process wrote to the store since the queue was built (cheap: one PRAGMA)."""
        return self._seen_version is not None and self.store.data_version() != self._seen_version

    def next_card(self) -> QueueItem | None:
        """The card to show now (the same one until it is answered, suspended or buried, or until
        another process answers it)."""
        if self.current is not None and self.changed_elsewhere():
            keep, shown = self.current, self._shown
            self._rebuild(self.clock())
            # Keep showing the card (e.g. one brought back by undo) unless the other process moved it.
            if not self.practice and self.store.card_state(keep.card_id) == shown:
                self._queue = [keep] + [item for item in self._queue if item.card_id != keep.card_id]
                self._pick(keep)
            else:
                self._pick(self._queue[0] if self._queue else None)
        if self.current is None:
            now = self.clock()
            if not self._queue or self._built_for != self._stamp(now) or self.changed_elsewhere():
                self._rebuild(now)
            else:
                self._bring_back_learning(now)
            self._pick(self._queue[0] if self._queue else None)
        return self.current

    def _pick(self, item: QueueItem | None) -> None:
        self.current = item
        self._shown = self.store.card_state(item.card_id) if item is not None else None

    def _stamp(self, now: datetime) -> tuple[datetime, int]:
        return self.store.day_start(now), self.store.current_generation()

    def _rebuild(self, now: datetime) -> None:
        self._seen_version = self.store.data_version()
        self._queue = build_queue(
            self.store, self.course, now, filters=self.filters, practice=self.practice,
            exclude=set(self._practiced),
        )
        self._learning.clear()  # the rebuilt queue already holds those that are due
        self._built_for = self._stamp(now)

    def _bring_back_learning(self, now: datetime) -> None:
        """Learning steps that fell due go to the front, soonest first, as build_queue orders them."""
        now_epoch = to_epoch(now)
        due = []
        while self._learning and self._learning[0][0] <= now_epoch:
            due_epoch, card_id = heapq.heappop(self._learning)
            card = self.course.cards.get(card_id)
            if card is not None:
                due.append(QueueItem(card_id, "learning", due_epoch, card))
        if due:
            self._queue[:0] = due

    def _done_with(self, item: QueueItem) -> None:
        """Take an answered, suspended or buried card out of the queue."""
        if self._queue and self._queue[0] is item:
            del self._queue[0]
        else:
            self._queue = [queued for queued in self._queue if queued.card_id != item.card_id]

    def counts(self) -> Counter:
        """kind -> cards left in the queue, the current one included (also after an undo)."""
        items = list(self._queue)
        if self.current is not None and all(item.card_id != self.current.card_id for item in items):
            items.append(self.current)
        return Counter(item.kind for item in items)

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
        try:
            outcome = self.store.review(item.card_id, rating, self.clock(), practice=self.practice,
                                        duration_ms=duration_ms, expected=None if self.practice else self._shown)
        except ChangedElsewhere:
            self.current, self._queue = None, []  # the next card comes from what is stored now
            raise
        self._done_with(item)
        if self.practice:
            self._practiced.append(item.card_id)
        elif outcome.after.state in (1, 3) and outcome.after.due is not None:
            heapq.heappush(self._learning, (to_epoch(outcome.after.due), item.card_id))
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
        self._done_with(item)
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
            kind = "practice" if self.practice else (
                ("lab" if state.due is not None else "new") if state.is_new else
                "learning" if state.state in (1, 3) else "review")
            back = QueueItem(result.card_id, kind, to_epoch(state.due), card)
        else:
            back = None
        # Rare: rebuild now, so the counts shown with the card brought back are right (it comes first).
        self._rebuild(self.clock())
        if back is not None:
            self._queue = [back] + [item for item in self._queue if item.card_id != back.card_id]
        self._pick(back)
        return result

    def _require(self) -> QueueItem:
        if self.current is None and self.next_card() is None:
            raise LookupError("no card to review")
        assert self.current is not None
        return self.current
