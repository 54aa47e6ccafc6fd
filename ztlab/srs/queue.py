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

LEARN_AHEAD = timedelta(minutes=20)
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


@dataclass(slots=True)
class QueueItem:
    card_id: str
    kind: str  # learning / review / new / lab (a new card a failed lab objective made due) / practice
    due_epoch: float | None
    card: Card

    @property
    def due(self) -> datetime | None:
        return from_epoch(self.due_epoch)


_ORDER_CACHE: dict[int, tuple[weakref.ref, list[str]]] = {}


def course_order(course: Course) -> list[str]:
    """Card ids in study order: by lesson order, then as written. Cached per Course object."""
    cached = _ORDER_CACHE.get(id(course))
    if cached and cached[0]() is course:
        return cached[1]
    # Bucket by lesson, then lay the buckets out in lesson order: linear, not a 100k-key sort.
    buckets: dict[str, list[str]] = {}
    for card_id in course.cards:
        buckets.setdefault(course.card_lesson.get(card_id, ""), []).append(card_id)
    lesson_order = sorted(buckets, key=lambda lid: (lid not in course.lessons, getattr(course.lessons.get(lid), "order", 0), lid))
    ordered = [card_id for lesson_id in lesson_order for card_id in buckets[lesson_id]]
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
    now_epoch = to_epoch(now)

    def pick(states: tuple[int, ...], until: datetime, kind: str, quota: int | None = None) -> list[QueueItem]:
        """Due cards of these states that pass the filters, earliest first, at most `quota`."""
        fetch = None if quota is None else quota + 64
        while True:
            rows = store.due_rows(states, until, fetch)
            items = [
                QueueItem(card_id, kind, due, course.cards[card_id]) for card_id, due, buried_until in rows
                if card_id in allowed_set and card_id not in exclude and (buried_until is None or buried_until <= now_epoch)
            ]
            if quota is None or len(items) >= quota or fetch is None or len(rows) < fetch:
                return items if quota is None else items[:quota]
            fetch *= 4  # filters or burying dropped too many: read further

    done_today = store.answers_since(store.day_start(now))
    just_after_now = now + timedelta(microseconds=1)
    learning = pick((1, 3), just_after_now, "learning")
    # Never answered, but made due by a failed lab objective. The rule: they come at once, even past
    # the day's new-card limit, and they count toward it (fewer other new cards follow that day).
    forced_new = pick((0,), just_after_now, "lab")
    review_quota = max(0, settings.reviews_per_day - done_today["review"])
    # Reviews keep Anki's day granularity: a card due later today can be answered now.
    reviews = pick((2,), store.next_day_start(now), "review", review_quota) if review_quota else []
    new_quota = max(0, settings.new_cards_per_day - done_today["new"] - len(forced_new))
    new = _new_cards(store, course, allowed, now, new_quota, exclude, filters) if new_quota else []
    queue = learning + forced_new + reviews + new
    if queue:
        return queue
    return pick((1, 3), now + LEARN_AHEAD, "learning")  # as Anki: nothing else left, learning cards due soon


PROBE_CHUNK, PROBE_LIMIT = 500, 2000


# (id(course), filters, store session) -> (course ref, states generation, position): every card of
# the filtered course order before `position` was already answered, so the scan can start there.
_FRONTIERS: dict[tuple, tuple[weakref.ref, int, int]] = {}


def _new_cards(store: ProgressStore, course: Course, allowed: list[str], now: datetime, quota: int, exclude, filters) -> list[QueueItem]:
    """The first `quota` cards in course order never answered (nor suspended, buried or made due).

    Looks the first cards up by id; only when most of the course is already studied does it
    load the id -> state map of every stored card (once; kept while no other process writes)."""
    picked: list[QueueItem] = []

    frontier: list[int] = []  # position of the first card not yet answered, once seen

    def take(candidates: list[str], stored: dict[str, int], offset: int) -> bool:
        for index, card_id in enumerate(candidates):
            if card_id in exclude:
                continue
            state = stored.get(card_id)
            if not frontier and not state:
                frontier.append(offset + index)
            if state is not None:
                if state != 0:
                    continue
                # Stored but never answered: it was suspended, buried or made due at some point.
                full = store.card_state(card_id)
                if full.suspended or full.is_buried(now) or full.due is not None:
                    continue
            picked.append(QueueItem(card_id, "new", None, course.cards[card_id]))
            if len(picked) >= quota:
                return True
        return False

    # The leech filter's card list moves with the store, so positions in it are not stable.
    remember = not exclude and not (filters and filters.tag == LEECH_TAG)
    key = (id(course), filters, store.session)
    known = _FRONTIERS.get(key)
    generation = store.current_generation()
    start = 0
    if remember and known and known[0]() is course and known[1] == generation:
        start = known[2]
    done = False
    if store.cached_states() is None:
        probe_end = min(len(allowed), start + PROBE_LIMIT)
        while start < probe_end and not done:
            chunk = allowed[start: start + PROBE_CHUNK]
            done = take(chunk, store.states_of(chunk), start)
            start += len(chunk)
    if not done and start < len(allowed):
        take(allowed[start:], store.stored_states(), start)
    if remember:
        _FRONTIERS[key] = (weakref.ref(course), store.states_generation, frontier[0] if frontier else len(allowed))
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
        item = QueueItem(card_id, "practice", to_epoch(state.due) if state else None, course.cards[card_id])
        if state is None or state.is_new:
            unseen.append(item)
        else:
            seen.append((retrievability(store.scheduler, state.stability, state.last_review, now), item))
    seen.sort(key=lambda pair: pair[0])
    return [item for _, item in seen] + unseen
