"""Today's review queue: learning cards first, then due reviews, then new cards, within the
daily limits (which count what was already answered today)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from ztlab.content import Course
from ztlab.content.models import Card
from ztlab.settings import Settings
from ztlab.srs.clock import as_utc, from_epoch, to_epoch
from ztlab.srs.scheduling import retrievability
from ztlab.srs.store import ProgressStore

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: with nothing else left, learning cards due soon come early
LEECH_TAG = "leech"


@dataclass(frozen=True)
class QueueFilter:
    """Keep only cards of a lesson (its own deck and linked cards), a principle, and/or a tag.

    The tag `leech` also matches cards the store marked as leeches."""

    lesson: str | None = None
    principle: str | None = None
    tag: str | None = None

    def __bool__(self) -> bool:
        return bool(self.lesson or self.principle or self.tag)

    def describe(self) -> str:
        parts = [f"{name} {value}" for name, value in (("lesson", self.lesson), ("principle", self.principle), ("tag", self.tag)) if value]
        return ", ".join(parts) or "all cards"


@dataclass(frozen=True)
class QueueItem:
    card_id: str
    kind: str  # learning / review / new / practice
    due: datetime | None
    card: Card


_ORDER_CACHE: dict[int, tuple[weakref.ref, list[str]]] = {}


def course_order(course: Course) -> list[str]:
    """Card ids in study order: by lesson order, then as written. Cached per Course object."""
    cached = _ORDER_CACHE.get(id(course))
    if cached and cached[0]() is course:
        return cached[1]
    lesson_rank = {lesson.id: (lesson.order, lesson.id) for lesson in course.lessons.values()}
    position = {card_id: index for index, card_id in enumerate(course.cards)}
    ordered = sorted(course.cards, key=lambda cid: (lesson_rank.get(course.card_lesson.get(cid, ""), (1 << 30, "")), position[cid]))
    _ORDER_CACHE[id(course)] = (weakref.ref(course), ordered)
    return ordered


def filtered_ids(course: Course, filters: QueueFilter | None, store: ProgressStore | None = None) -> list[str]:
    ordered = course_order(course)
    if not filters:
        return ordered
    keep = None
    if filters.lesson:
        keep = {card.id for card in course.cards_for_lesson(filters.lesson)}
    result = []
    leeches = {row[0] for row in store.read("SELECT card_id FROM cards WHERE leech = 1")} if store and filters.tag == LEECH_TAG else set()
    for card_id in ordered:
        card = course.cards[card_id]
        if keep is not None and card_id not in keep:
            continue
        if filters.principle and card.principle != filters.principle:
            continue
        if filters.tag and filters.tag not in card.tags and card_id not in leeches:
            continue
        result.append(card_id)
    return result


def build_queue(
    store: ProgressStore, course: Course, now: datetime | None = None, *,
    filters: QueueFilter | None = None, settings: Settings | None = None, practice: bool = False,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> list[QueueItem]:
    """The cards to study now, in order. `practice` gives the review-ahead queue instead: every
    unsuspended card, weakest recall first, answered without moving the schedule."""
    now = as_utc(now)
    settings = settings or store.settings
    if practice:
        return _practice_queue(store, course, now, filters, exclude)
    allowed = filtered_ids(course, filters, store)
    allowed_set = set(allowed) if filters else course.cards
    end_of_day = store.next_day_start(now)
    now_epoch = to_epoch(now)
    learning, reviews, forced_new, soon = [], [], [], []
    for card_id, state, due, buried_until in store.due_rows(end_of_day):
        if card_id not in allowed_set or card_id in exclude or (buried_until is not None and buried_until > now_epoch):
            continue
        item = QueueItem(card_id, "", from_epoch(due), course.cards[card_id])
        if state in (1, 3):
            if due <= now_epoch:
                learning.append(QueueItem(card_id, "learning", item.due, item.card))
            elif due <= now_epoch + LEARN_AHEAD.total_seconds():
                soon.append(QueueItem(card_id, "learning", item.due, item.card))
        elif state == 2:
            reviews.append(QueueItem(card_id, "review", item.due, item.card))
        elif due <= now_epoch:  # never answered, but made due (a failed lab objective)
            forced_new.append(QueueItem(card_id, "new", item.due, item.card))

    done_today = store.answers_since(store.day_start(now))
    reviews = reviews[: max(0, settings.reviews_per_day - done_today["review"])]
    new_quota = max(0, settings.new_cards_per_day - done_today["new"])
    new = _new_cards(store, course, allowed, now, new_quota, exclude) if new_quota else []
    queue = learning + forced_new + reviews + new
    return queue or soon


def _new_cards(store: ProgressStore, course: Course, allowed: list[str], now: datetime, quota: int, exclude) -> list[QueueItem]:
    stored = store.stored_ids()
    untouched_rows = None
    picked: list[QueueItem] = []
    for card_id in allowed:
        if card_id in exclude:
            continue
        if card_id in stored:
            # A stored card is still new when it was only suspended/buried/unsuspended before.
            if untouched_rows is None:
                untouched_rows = store.new_card_rows()
            state = untouched_rows.get(card_id)
            if state is None or state.suspended or state.is_buried(now) or state.due is not None:
                continue
        picked.append(QueueItem(card_id, "new", None, course.cards[card_id]))
        if len(picked) >= quota:
            break
    return picked


def _practice_queue(store: ProgressStore, course: Course, now: datetime, filters, exclude) -> list[QueueItem]:
    states = store.card_states()
    seen, unseen = [], []
    for card_id in filtered_ids(course, filters, store):
        if card_id in exclude:
            continue
        state = states.get(card_id)
        if state is not None and state.suspended:
            continue
        item = QueueItem(card_id, "practice", state.due if state else None, course.cards[card_id])
        if state is None or state.is_new:
            unseen.append(item)
        else:
            seen.append((retrievability(store.scheduler, state.stability, state.last_review, now), item))
    seen.sort(key=lambda pair: pair[0])
    return [item for _, item in seen] + unseen
