"""One card's scheduling state as stored, and what answering it changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, State

from ztlab.srs.clock import from_epoch, to_epoch

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
COLUMNS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review",
           "reps", "lapses", "suspended", "buried_until", "leech")


@dataclass(frozen=True)
class CardState:
    card_id: str
    state: int = 0  # 0 new, else fsrs.State
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False

    @property
    def kind(self) -> str:
        return STATE_NAMES[self.state]

    @property
    def is_new(self) -> bool:
        return self.state == 0

    def is_buried(self, now: datetime) -> bool:
        return self.buried_until is not None and self.buried_until > now

    @classmethod
    def from_row(cls, row: tuple) -> "CardState":
        (card_id, state, step, stability, difficulty, due, last_review,
         reps, lapses, suspended, buried_until, leech) = row
        return cls(card_id, state, step, stability, difficulty, from_epoch(due), from_epoch(last_review),
                   reps, lapses, bool(suspended), from_epoch(buried_until), bool(leech))

    def to_row(self) -> tuple:
        return (self.card_id, self.state, self.step, self.stability, self.difficulty, to_epoch(self.due),
                to_epoch(self.last_review), self.reps, self.lapses, int(self.suspended),
                to_epoch(self.buried_until), int(self.leech))

    def to_fsrs(self, now: datetime) -> FsrsCard:
        if self.state == 0:
            return FsrsCard(card_id=1, state=State.Learning, step=0, due=now)
        return FsrsCard(card_id=1, state=State(self.state), step=self.step, stability=self.stability,
                        difficulty=self.difficulty, due=self.due or now, last_review=self.last_review)

    def with_fsrs(self, card: FsrsCard) -> "CardState":
        return replace(self, state=int(card.state), step=card.step, stability=card.stability,
                       difficulty=card.difficulty, due=card.due, last_review=card.last_review)


@dataclass(frozen=True)
class ReviewOutcome:
    """What one answer did; returned only after it is committed."""

    card_id: str
    rating: Rating
    review_id: int
    kind: str  # new / learning / review / relearning (the state answered in), or practice
    before: CardState
    after: CardState
    interval: timedelta | None  # None in practice mode: the schedule did not move
    became_leech: bool = False

    @property
    def practice(self) -> bool:
        return self.kind == "practice"


@dataclass(frozen=True)
class UndoResult:
    action: str  # review / practice / suspend / unsuspend / bury
    card_id: str
