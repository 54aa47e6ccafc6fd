"""A lesson as one Markdown document for the reader (no Textual here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ztlab.untrusted.text import safe_title

if TYPE_CHECKING:
    from ztlab.content.models import Lesson


def lesson_markdown(lesson: Lesson) -> str:
    parts = [f"# {safe_title(lesson.title)}", "", f"*{lesson.summary.strip()}*", ""]
    for section in lesson.sections:
        parts += [f"## {section.title}", "", section.body.rstrip(), ""]
    parts += ["## Takeaways", ""]
    parts += [f"- {item.strip()}" for item in lesson.takeaways]
    return "\n".join(parts) + "\n"
