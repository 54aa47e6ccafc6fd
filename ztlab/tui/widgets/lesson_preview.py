"""What a lesson holds, shown beside the lessons list before opening it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from ztlab.principles import PRINCIPLE_TITLES
from ztlab.tui.inert import markup_block, markup_title

if TYPE_CHECKING:
    from ztlab.content import Course


def lesson_facts(course: Course, lesson_id: str, done: frozenset[str], recorded: bool) -> str:
    """A few lines of markup about a lesson: position, principles, status, cards and labs."""
    lesson = course.lessons[lesson_id]
    ordered = course.ordered_lessons()
    cards = course.cards_for_lesson(lesson_id)
    labs = [course.labs[lab_id].title for lab_id in lesson.labs if lab_id in course.labs]
    labs += [lab.title for lab in course.labs.values() if lesson_id in lab.lessons and lab.title not in labs]
    if not recorded:
        status = "[dim]progress not recorded yet[/dim]"
    else:
        status = "[b]done[/b] ✓" if lesson_id in done else "not done yet"
    lines = [
        f"Lesson {ordered.index(lesson) + 1} of {len(ordered)} · {status}",
        "Principles: " + ", ".join(PRINCIPLE_TITLES.get(p, p) for p in lesson.principles),
        f"{_count(len(lesson.sections), 'section')} · {_count(len(lesson.takeaways), 'takeaway')}",
        _count(len(cards), "flashcard"),
        "Labs: " + (", ".join(markup_title(t) for t in labs) if labs else "none yet"),
    ]
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class LessonPreview(Static):
    def show(self, course: Course | None, lesson_id: str | None, done: frozenset[str], recorded: bool) -> None:
        if course is None or lesson_id is None or lesson_id not in course.lessons:
            self.update("Pick a lesson on the left." if course and course.lessons else "")
            return
        lesson = course.lessons[lesson_id]
        self.update(
            f"[b]{markup_title(lesson.title)}[/b]\n\n{markup_block(lesson.summary.strip())}\n\n"
            f"{lesson_facts(course, lesson_id, done, recorded)}\n\n[dim]enter or click to read[/dim]"
        )
