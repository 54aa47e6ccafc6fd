"""Small content packs written as real YAML and loaded by the real loader, and stores on real
SQLite files in tmp dirs (fuzzing off so intervals are exact)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from ztlab.content import load_course
from ztlab.settings import Settings
from ztlab.srs import ProgressStore

PRINCIPLES = ["verify-explicitly", "least-privilege", "micro-segmentation"]


def write_pack(root: Path, lessons: dict[str, int], *, tags: dict[str, list[str]] | None = None) -> Path:
    """A pack with one lesson per key and that many cards each: ids `<lesson>-c<n>`."""
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "flashcards").mkdir(exist_ok=True)
    for order, (lesson_id, count) in enumerate(lessons.items(), start=100):
        lesson = {
            "id": lesson_id, "title": f"Lesson {lesson_id}", "principles": ["least-privilege"], "order": order,
            "summary": "A test lesson.", "sections": [{"title": "Body", "body": "Text."}], "takeaways": ["One."],
        }
        (root / "lessons" / f"{lesson_id}.yaml").write_text(yaml.safe_dump(lesson), encoding="utf-8")
        cards = []
        for n in range(count):
            card_id = f"{lesson_id}-c{n}"
            cards.append({
                "id": card_id, "principle": PRINCIPLES[n % len(PRINCIPLES)],
                "tags": (tags or {}).get(card_id, []),
                "front": f"Question {card_id}?", "back": f"Answer {card_id}.",
            })
        (root / "flashcards" / f"{lesson_id}.yaml").write_text(yaml.safe_dump({"lesson": lesson_id, "cards": cards}), encoding="utf-8")
    return root


def load_pack(root: Path):
    course, problems = load_course([root], include_builtin=False)
    assert problems == [], problems
    return course


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack", {"alpha": 6, "beta": 4}, tags={"alpha-c1": ["iam"], "beta-c2": ["iam"]})


@pytest.fixture
def course(pack: Path):
    return load_pack(pack)


@pytest.fixture
def settings() -> Settings:
    return Settings(new_cards_per_day=5, reviews_per_day=50)


@pytest.fixture
def store(tmp_path: Path, settings: Settings):
    with ProgressStore.open(tmp_path / "progress.sqlite3", settings=settings, fuzzing=False) as opened:
        yield opened


@pytest.fixture
def noon() -> datetime:
    """A fixed midday (local time) so day boundaries are far away."""
    return datetime(2026, 3, 10, 12, 0).astimezone().astimezone(timezone.utc)


def lapse_until_leech(store, card_id: str, start: datetime) -> list:
    """Learn a card, then forget it at each due date until it becomes a leech; the outcomes of the lapses."""
    from datetime import timedelta

    from ztlab.srs import LEECH_LAPSES, Rating

    now = start
    store.review(card_id, Rating.Easy, now)
    lapses = []
    for _ in range(LEECH_LAPSES):
        now = store.card_state(card_id).due + timedelta(minutes=1)
        lapses.append(store.review(card_id, Rating.Again, now))
        while store.card_state(card_id).kind == "relearning":
            now = store.card_state(card_id).due + timedelta(minutes=1)
            store.review(card_id, Rating.Good, now)
    return lapses
