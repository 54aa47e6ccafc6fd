"""The course as loaded: lessons, cards and labs by id, with where each came from."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ztlab.content.models import Card, Lab, Lesson
from ztlab.principles import PRINCIPLES


@dataclass
class Course:
    lessons: dict[str, Lesson] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    labs: dict[str, Lab] = field(default_factory=dict)
    card_lesson: dict[str, str] = field(default_factory=dict)
    lab_dirs: dict[str, Path] = field(default_factory=dict)
    sources: dict[tuple[str, str], Path] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)
    builtin_root: Path | None = None

    def ordered_lessons(self) -> list[Lesson]:
        return sorted(self.lessons.values(), key=lambda lesson: (lesson.order, lesson.id))

    def cards_for_lesson(self, lesson_id: str) -> list[Card]:
        """The lesson's own deck, then the cards it links from other decks."""
        own = [card for cid, card in self.cards.items() if self.card_lesson[cid] == lesson_id]
        lesson = self.lessons.get(lesson_id)
        linked = [self.cards[cid] for cid in (lesson.cards if lesson else []) if cid in self.cards]
        return own + [card for card in linked if card not in own]

    def is_builtin(self, kind: str, item_id: str) -> bool:
        """Whether the item's file really is the package's own course: its resolved path lies in the
        built-in root's own folder for that kind. The path as typed could climb out with `..`, and a
        pack kept inside an editable checkout sits under the checkout without being the course."""
        source = self.sources.get((kind, item_id))
        if not source or not self.builtin_root:
            return False
        folder = {"lesson": "lessons", "card": "flashcards", "lab": "labs"}[kind]
        return source.resolve().is_relative_to((self.builtin_root / folder).resolve())

    def counts_by_principle(self) -> dict[str, Counter]:
        """principle -> Counter(lessons=, cards=, labs=)."""
        result = {slug: Counter(lessons=0, cards=0, labs=0) for slug in PRINCIPLES}
        for lesson in self.lessons.values():
            for slug in lesson.principles:
                result[slug]["lessons"] += 1
        for card in self.cards.values():
            result[card.principle]["cards"] += 1
        for lab in self.labs.values():
            for slug in lab.principles:
                result[slug]["labs"] += 1
        return result
