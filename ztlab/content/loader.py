"""Load the course from content roots, reporting every problem with its file, line and column.

A content root is a folder holding any of `lessons/`, `flashcards/` and `labs/<id>/lab.yaml`.
Roots are layered: the built-in course first, then packs from `ZTLAB_CONTENT` and `--content`;
an id in a later root overrides the same id in an earlier one. Within one root an id must be unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ztlab import locations as loc
from ztlab.content.course import Course
from ztlab.content.files import YAML_SUFFIXES, content_files  # noqa: F401 (re-exported)
from ztlab.content.located_yaml import LocatedDocument, load_located
from ztlab.content.markdown_checks import fence_problems
from ztlab.content.models import Deck, Lab, Lesson
from ztlab.content.problems import Problem
from ztlab.content.validate import validate_document


@dataclass
class _Pending:
    """What one root contributed, before cross-file checks."""

    docs: dict[tuple[str, str], LocatedDocument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_course(
    extra_roots: list[Path] | tuple[Path, ...] = (), *, include_builtin: bool = True
) -> tuple[Course, list[Problem]]:
    """Load and cross-check the course; never raises for content problems, returns them all."""
    builtin = loc.builtin_course_root()
    roots = ([builtin] if include_builtin else []) + [Path(r) for r in extra_roots]
    course = Course(roots=roots, builtin_root=builtin if include_builtin else None)
    problems: list[Problem] = []
    refs: list[tuple[LocatedDocument, tuple, str, str]] = []  # doc, path, kind, id

    for root in roots:
        if not root.exists():
            problems.append(Problem(root, 0, 0, "content folder does not exist", "a folder with lessons/, flashcards/ or labs/"))
            continue
        files = content_files(root)
        if not files:
            problems.append(Problem(root, 0, 0, "holds no content", "lessons/*.yaml, flashcards/*.yaml or labs/<id>/lab.yaml"))
        seen_here: dict[tuple[str, str], tuple[Path, int]] = {}
        inside = root.resolve() if root.is_dir() else None
        for kind, file in files:
            if inside is not None and not file.resolve().is_relative_to(inside):
                # A link out of the pack would let a downloaded pack show any file of ours in errors.
                problems.append(Problem(file, 0, 0, "is a link that leads outside its content pack",
                                        f"a file inside {root}; copy it into the pack instead of linking"))
                continue
            doc, found = load_located(file)
            problems.extend(found)
            if doc is None:
                continue
            model = {"lesson": Lesson, "deck": Deck, "lab": Lab}[kind]
            item, found = validate_document(doc, model)
            problems.extend(found)
            if item is None:
                continue
            if kind == "lesson":
                _add(course, problems, seen_here, doc, "lesson", item.id, ("id",), item)
                for i, section in enumerate(item.sections):
                    problems.extend(_body_problems(doc, ("sections", i, "body"), section.body))
                refs += [(doc, ("cards", i), "card", c) for i, c in enumerate(item.cards)]
                refs += [(doc, ("labs", i), "lab", c) for i, c in enumerate(item.labs)]
            elif kind == "deck":
                refs.append((doc, ("lesson",), "lesson", item.lesson))
                for i, card in enumerate(item.cards):
                    if _add(course, problems, seen_here, doc, "card", card.id, ("cards", i, "id"), card):
                        course.card_lesson[card.id] = item.lesson
            else:
                folder = file.parent.name
                if item.id != folder:
                    line, col = doc.position(("id",))
                    problems.append(Problem(file, line, col, f"lab id '{item.id}' differs from its folder '{folder}'", f"id: {folder}"))
                if _add(course, problems, seen_here, doc, "lab", item.id, ("id",), item):
                    course.lab_dirs[item.id] = file.parent
                problems.extend(_body_problems(doc, ("briefing",), item.briefing))
                refs += [(doc, ("lessons", i), "lesson", c) for i, c in enumerate(item.lessons)]
                refs += [(doc, ("cards", i), "card", c) for i, c in enumerate(item.cards)]

    tables = {"lesson": course.lessons, "card": course.cards, "lab": course.labs}
    for doc, path, kind, ref in refs:
        if ref not in tables[kind]:
            line, col = doc.position(path)
            problems.append(Problem(doc.file, line, col, f"refers to {kind} '{ref}', which does not exist", f"the id of an existing {kind}"))
    return course, sorted(set(problems))


def _add(course: Course, problems: list[Problem], seen_here: dict, doc: LocatedDocument,
         kind: str, item_id: str, path: tuple, item) -> bool:
    line, col = doc.position(path)
    if (kind, item_id) in seen_here:
        first_file, first_line = seen_here[(kind, item_id)]
        problems.append(Problem(doc.file, line, col, f"duplicate {kind} id '{item_id}' (also in {first_file}:{first_line})", "ids unique within a content folder"))
        return False
    seen_here[(kind, item_id)] = (doc.file, line)
    table = {"lesson": course.lessons, "card": course.cards, "lab": course.labs}[kind]
    table[item_id] = item
    course.sources[(kind, item_id)] = doc.file
    return True


def _body_problems(doc: LocatedDocument, path: tuple, body: str) -> list[Problem]:
    line, col = doc.position(path)
    # A block scalar (`|`) starts on the line after its indicator.
    first_text_line = line + 1
    return [Problem(doc.file, first_text_line + offset, col, message, expected)
            for offset, message, expected in fence_problems(body)]
