"""Load a workshop file with located errors (the content loader's machinery), find its key, write a starter."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ztlab.content import Course, Problem
from ztlab.content.located_yaml import load_located
from ztlab.content.validate import validate_document
from ztlab.workshop.model import Workshop

ENV_VAR = "ZTLAB_WORKSHOP"


class WorkshopError(Exception):
    """A workshop file that cannot be used: every problem, each with file, line and column."""

    def __init__(self, problems: list[Problem] | str):
        self.problems = problems if isinstance(problems, list) else []
        super().__init__(problems if isinstance(problems, str) else "\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedWorkshop:
    workshop: Workshop
    path: Path
    sha256: str  # of the file's bytes: a bundle names the exact workshop it was made for

    @property
    def title(self) -> str:
        return self.workshop.title


def load_workshop(path: Path, course: Course | None = None) -> LoadedWorkshop:
    """The workshop, checked against the course when one is given (unknown lessons and labs are
    problems at their line). Raises WorkshopError listing every problem."""
    path = Path(path)
    doc, problems = load_located(path)
    if doc is None:
        raise WorkshopError(problems)
    workshop, found = validate_document(doc, Workshop)
    problems += found
    if workshop is not None and course is not None:
        tables = {"lesson": course.lessons, "lab": course.labs}
        for index, item in enumerate(workshop.items):
            if item.id not in tables[item.kind]:
                line, col = doc.position(("items", index, item.kind))
                problems.append(Problem(path, line, col, f"refers to {item.kind} '{item.id}', which does not exist",
                                        f"the id of an existing {item.kind} (`ztlab {item.kind} list`)" if item.kind == "lab"
                                        else f"the id of an existing {item.kind}"))
        for index, deck in enumerate(workshop.decks):
            if deck not in course.lessons:
                line, col = doc.position(("decks", index))
                problems.append(Problem(path, line, col, f"refers to lesson '{deck}', which does not exist", "a lesson id"))
    if problems or workshop is None:
        raise WorkshopError(sorted(set(problems)))
    return LoadedWorkshop(workshop, path.resolve(), hashlib.sha256(path.read_bytes()).hexdigest())


def workshop_key(loaded: LoadedWorkshop) -> bytes:
    """The HMAC key for submissions. Raises WorkshopError saying where the key should be."""
    workshop = loaded.workshop
    if workshop.key is not None:
        return workshop.key.encode("utf-8")
    if workshop.key_env is not None:
        value = os.environ.get(workshop.key_env, "")
        if len(value) < 16:
            raise WorkshopError(f"{loaded.path}: the workshop key comes from ${workshop.key_env}, which is "
                                f"{'unset' if not value else 'shorter than 16 characters'}; ask your instructor for it "
                                f"and run: export {workshop.key_env}=...")
        return value.encode("utf-8")
    key_path = (loaded.path.parent / Path(workshop.key_file or "").expanduser())
    try:
        value = key_path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise WorkshopError(f"{loaded.path}: cannot read the key file {key_path}: {exc.strerror}") from None
    if len(value) < 16:
        raise WorkshopError(f"{key_path}: the workshop key must be at least 16 characters")
    return value.encode("utf-8")


def starter_text(title: str = "Zero trust on AWS: hands-on afternoon") -> str:
    """A commented workshop file that validates as written (the key is fresh for each call)."""
    return f"""\
# A ztlab workshop: hand this file to every learner, then
#   ztlab --workshop THIS_FILE workshop show     (the path, in order, with time boxes)
#   ztlab --workshop THIS_FILE workshop submit   (each learner, at the end)
#   ztlab --workshop THIS_FILE workshop report DIR / regrade DIR/*.json   (you)
title: "{title}"

# Submissions are signed (HMAC-SHA256) with this key. Learners' ztlab needs it to sign, so anyone
# holding the file can sign: the signature catches edits by anyone WITHOUT the key (a classmate on
# the shared drive, a broken copy), and `ztlab workshop regrade` catches everything else by
# replaying the recorded work. To keep the key out of a published file, use instead:
#   key_env: ZTLAB_WORKSHOP_KEY    (tell the room the value)
#   key_file: workshop.key         (a file next to this one)
key: "{secrets.token_urlsafe(24)}"

# Optional: each learner gets their own variant of labs that have `variants` (names, CIDRs),
# picked from this seed and their name, so answers cannot simply be copied. Remove to turn off.
variant_seed: "{secrets.token_hex(4)}"

# The path, in order. Each step is a `lesson` or a `lab` with a time box in minutes.
items:
  - lesson: least-privilege
    minutes: 20
  - lesson: identity-centric-security
    minutes: 15
  - lab: s3-least-privilege
    minutes: 25

# Lessons whose flashcards learners review (ztlab review) before and after the class.
decks:
  - least-privilege
"""
