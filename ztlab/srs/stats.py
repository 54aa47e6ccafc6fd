"""Statistics a learner can trust: what is due, what is coming, how well recall really holds.

Every course card is in exactly one of four states, so the counts always add up:
studied + new + due from labs + suspended == total (cards with progress that left the course
are counted apart, as orphaned). The app's Home and Stats screens, `ztlab cards stats` and
`ztlab review --plain` all print these numbers from here, so they agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from ztlab.content import Course
from ztlab.principles import PRINCIPLE_TITLES, PRINCIPLES
from ztlab.srs.clock import as_utc, from_epoch, local_date, to_epoch
from ztlab.srs.scheduling import forgetting_curve
from ztlab.srs.store import ProgressStore

FORECAST_DAYS = 30


@dataclass(frozen=True)
class Mastery:
    id: str
    title: str
    cards: int
    seen: int
    mastery: float  # mean chance of recall now over all its cards (unseen count as 0)


# How today's queue is made, said the same way everywhere the numbers appear.
LAB_CARDS_RULE = ("cards a failed lab objective brings back come at once, even past the daily new-card limit, "
                  "and count toward it")


@dataclass
class Stats:
    now: datetime
    total_cards: int
    seen_cards: int  # answered at least once (suspended ones included)
    new_available: int  # never answered, not suspended, not made due by a lab
    due_today: int  # learning and review cards due before the day ends (limits not applied)
    overdue: int
    forecast_30d: list[int]  # [0] = today (including overdue), then each following day
    true_retention_30d: float | None  # share of review-state answers not rated Again
    retention_answers_30d: int
    reviews_today: int
    reviews_per_day: list[tuple[date, int]]  # the last 30 days, oldest first, practice included
    average_reviews_per_day: float
    streak: int  # consecutive days with at least one answer, ending today (or yesterday)
    mastery_by_lesson: list[Mastery] = field(default_factory=list)
    mastery_by_principle: list[Mastery] = field(default_factory=list)
    leeches: list[str] = field(default_factory=list)
    suspended: int = 0  # every suspended card of the course, new or studied
    orphaned: int = 0  # cards with progress that are no longer in the course (kept, not shown)
    studied: int = 0  # answered at least once and not suspended
    due_from_labs: int = 0  # never answered, made due by a failed lab objective
    queue_now: dict[str, int] = field(default_factory=dict)  # today's queue now: learning/review/new/lab
    new_limit: int = 0
    new_answered_today: int = 0
    retention_note: str = ""  # why true retention is n/a, when it is

    @property
    def queue_total(self) -> int:
        return sum(self.queue_now.values())

    def describe_cards(self) -> str:
        """The four states, which add up to the course total."""
        return (f"{self.total_cards} in the course = {self.studied} studied + {self.new_available} new"
                f" + {self.due_from_labs} due from labs + {self.suspended} suspended")

    def describe_today(self) -> str:
        q = self.queue_now
        labs = f", {q.get('lab', 0)} from labs" if q.get("lab") else ""
        return (f"{self.queue_total} to study now: {q.get('learning', 0)} learning, {q.get('review', 0)} review, "
                f"{q.get('new', 0)} new{labs} (new cards: {self.new_answered_today} of {self.new_limit} a day so far)")

    def describe_retention(self) -> str:
        if self.true_retention_30d is None:
            return f"n/a: {self.retention_note}"
        return f"{self.true_retention_30d:.1%} over {self.retention_answers_30d} review answer(s)"

    def to_json(self) -> dict:
        data = asdict(self)
        data["now"] = self.now.isoformat()
        data["reviews_per_day"] = [{"date": day.isoformat(), "count": count} for day, count in self.reviews_per_day]
        return data


def stats(store: ProgressStore, course: Course, now: datetime | None = None) -> Stats:
    now = as_utc(now)
    today_start = store.day_start(now)
    day_edges = [today_start]
    for _ in range(FORECAST_DAYS):
        day_edges.append(store.next_day_start(day_edges[-1]))

    edges = [to_epoch(edge) for edge in day_edges]
    now_epoch = to_epoch(now)
    decay, factor = forgetting_curve(store.scheduler)
    forecast = [0] * FORECAST_DAYS
    overdue = seen = suspended = new_available = orphaned = studied = due_from_labs = 0
    recall: dict[str, float] = {}
    leeches = []
    stored: set[str] = set()
    # Raw rows and epoch seconds: this walks every card, so no per-row datetime objects.
    for card_id, state, stability, due, last_review, is_suspended, buried_until, leech in store.read(
        "SELECT card_id, state, stability, due, last_review, suspended, buried_until, leech FROM cards"
    ):
        stored.add(card_id)
        if card_id not in course.cards:
            orphaned += 1
            continue
        if state == 0:
            if is_suspended:
                suspended += 1
            elif due is None:
                new_available += 1
            else:
                due_from_labs += 1
            continue
        seen += 1
        elapsed_days = max(0.0, (now_epoch - last_review) / 86400)
        recall[card_id] = (1 + factor * elapsed_days / stability) ** decay if stability else 0.0
        if leech:
            leeches.append(card_id)
        if is_suspended:
            suspended += 1
            continue
        studied += 1
        if due is None or (buried_until is not None and buried_until > now_epoch):
            continue
        overdue += due < now_epoch
        index = bisect_right(edges, due) - 1
        if index < FORECAST_DAYS:
            forecast[max(0, index)] += 1
    new_available += sum(1 for card_id in course.cards if card_id not in stored)
    due_today = forecast[0]

    month_ago = store.day_start(now - timedelta(days=FORECAST_DAYS - 1))
    month_edges = [to_epoch(month_ago)]
    while len(month_edges) <= FORECAST_DAYS:
        month_edges.append(to_epoch(store.next_day_start(from_epoch(month_edges[-1]))))
    per_day = [0] * FORECAST_DAYS
    retained = answered = 0
    for rating, reviewed_at, kind in store.read(
        "SELECT rating, reviewed_at, kind FROM reviews WHERE reviewed_at >= ?", (month_edges[0],)
    ):
        index = bisect_right(month_edges, reviewed_at) - 1
        if index < FORECAST_DAYS:
            per_day[index] += 1
        if kind == "review":
            answered += 1
            retained += rating != 1
    reviews_per_day = [
        (local_date(from_epoch(month_edges[index]), store.rollover_hour), per_day[index]) for index in range(FORECAST_DAYS)
    ]

    return Stats(
        now=now,
        total_cards=len(course.cards),
        seen_cards=seen,
        new_available=new_available,
        due_today=due_today,
        overdue=overdue,
        forecast_30d=forecast,
        true_retention_30d=retained / answered if answered else None,
        retention_note="" if answered else _retention_note(seen, sum(per_day)),
        retention_answers_30d=answered,
        reviews_today=reviews_per_day[-1][1],
        reviews_per_day=reviews_per_day,
        average_reviews_per_day=sum(count for _, count in reviews_per_day) / FORECAST_DAYS,
        streak=_streak(store, now),
        mastery_by_lesson=_mastery_by_lesson(course, recall),
        mastery_by_principle=_mastery_by_principle(course, recall),
        leeches=sorted(leeches),
        suspended=suspended,
        orphaned=orphaned,
        studied=studied,
        due_from_labs=due_from_labs,
        queue_now=_queue_now(store, course, now),
        new_limit=store.settings.new_cards_per_day,
        new_answered_today=store.answers_since(today_start)["new"],
    )


def _queue_now(store: ProgressStore, course: Course, now: datetime) -> dict[str, int]:
    from ztlab.srs.queue import build_queue  # the queue the Review screen and `review --plain` show

    counts = {"learning": 0, "review": 0, "new": 0, "lab": 0}
    for item in build_queue(store, course, now):
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


def _retention_note(seen: int, answers: int) -> str:
    # True retention counts only answers to cards in the review state (learnt, then due again a day
    # or more later): answers while learning say little about memory. Say which part is missing.
    if not answers:
        return "no answers in the last 30 days yet"
    if not seen:
        return "no card studied yet"
    return (f"it counts answers to cards already learnt and due again (a day or more later); "
            f"your {answers} answer(s) so far were all to new or learning cards")


def _streak(store: ProgressStore, now: datetime) -> int:
    start = store.day_start(now)
    end = store.next_day_start(now)
    if not store.has_answers_between(start, end):
        end = start  # no answer yet today: the streak still counts up to yesterday
        start = store.day_start(start - timedelta(hours=1))
    streak = 0
    while store.has_answers_between(start, end):
        streak += 1
        end = start
        start = store.day_start(start - timedelta(hours=1))
    return streak


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _mastery_by_lesson(course: Course, recall: dict[str, float]) -> list[Mastery]:
    by_lesson: dict[str, list[str]] = defaultdict(list)
    for card_id, lesson_id in course.card_lesson.items():
        by_lesson[lesson_id].append(card_id)
    result = []
    for lesson in course.ordered_lessons():
        ids = by_lesson.get(lesson.id, [])
        if lesson.cards:
            ids = ids + [cid for cid in lesson.cards if cid in course.cards and cid not in ids]
        result.append(Mastery(lesson.id, lesson.title, len(ids), sum(cid in recall for cid in ids),
                              _mean([recall.get(cid, 0.0) for cid in ids])))
    return result


def _mastery_by_principle(course: Course, recall: dict[str, float]) -> list[Mastery]:
    by_principle: dict[str, list[str]] = defaultdict(list)
    for card_id, card in course.cards.items():
        by_principle[card.principle].append(card_id)
    return [
        Mastery(slug, PRINCIPLE_TITLES[slug], len(ids := by_principle.get(slug, [])), sum(cid in recall for cid in ids),
                _mean([recall.get(cid, 0.0) for cid in ids]))
        for slug in PRINCIPLES
    ]
