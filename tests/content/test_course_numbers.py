"""The shipped course meets the numbers the course plan promises."""

from collections import Counter

from ztlab.content import load_course
from ztlab.principles import PRINCIPLES

COURSE, PROBLEMS = load_course()


def test_course_is_valid():
    assert PROBLEMS == []


def test_at_least_ten_lessons_covering_every_principle():
    assert len(COURSE.lessons) >= 10
    covered = {slug for lesson in COURSE.lessons.values() for slug in lesson.principles}
    assert covered == set(PRINCIPLES)


def test_at_least_80_cards_and_6_per_lesson():
    assert len(COURSE.cards) >= 80
    per_lesson = Counter(COURSE.card_lesson.values())
    thin = {lesson: per_lesson[lesson] for lesson in COURSE.lessons if per_lesson[lesson] < 6}
    assert not thin, f"lessons with fewer than 6 cards: {thin}"


def test_spot_the_flaw_cards_for_each_common_mistake():
    mistakes = [c for c in COURSE.cards.values() if COURSE.card_lesson[c.id] == "common-mistakes" and c.kind == "spot-the-flaw"]
    assert len(mistakes) >= 6
    assert all(card.snippet is not None for card in mistakes)


def test_checklist_cards_exist():
    checklist = [c for c in COURSE.cards.values() if "checklist" in c.tags]
    assert len(checklist) >= 10


def test_every_lesson_has_code_blocks_with_languages():
    for lesson in COURSE.lessons.values():
        bodies = "\n".join(section.body for section in lesson.sections)
        assert "```" in bodies, f"{lesson.id} has no code example"
