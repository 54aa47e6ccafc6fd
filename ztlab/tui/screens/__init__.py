"""The app's top-level sections. Each is a Textual mode with its own screen stack.

To add a section (Review, Stats, Labs...): write `screens/<name>.py` with a `ZtlabScreen`
subclass, then add one `Section` line below. Its key binding (id `go.<mode>`), its command palette
entry and its mode are all derived from this list. Screen modules are imported on first visit, so
a heavy screen never slows the app's first paint.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Section:
    mode: str
    key: str
    title: str
    help: str
    screen: str  # "module:Class", imported when the section is first shown

    @property
    def binding_id(self) -> str:
        return f"go.{self.mode}"

    def factory(self) -> Callable[[], "Screen"]:
        def make() -> "Screen":
            module, attr = self.screen.split(":")
            return getattr(importlib.import_module(module), attr)()

        return make


SECTIONS: tuple[Section, ...] = (
    Section("home", "h", "Home", "Your next step and progress per principle", "ztlab.tui.screens.home:HomeScreen"),
    Section("lessons", "l", "Lessons", "Browse the lessons by zero-trust principle", "ztlab.tui.screens.lessons:LessonsScreen"),
    Section("review", "r", "Review", "Today's flashcards: reveal, rate 1-4, undo", "ztlab.tui.screens.review:ReviewScreen"),
    Section("labs", "a", "Labs", "Hands-on labs graded against the sandbox account", "ztlab.tui.screens.labs:LabsScreen"),
    Section("stats", "t", "Stats", "Forecast, retention, streak, mastery and lab scores", "ztlab.tui.screens.stats:StatsScreen"),
    Section("instructor", "w", "Instructor", "The class live: learners by objectives from submission bundles", "ztlab.tui.screens.instructor:InstructorScreen"),
    Section("settings", "s", "Settings", "Retention, daily limits, back end and theme", "ztlab.tui.screens.settings:SettingsScreen"),
)


def instructor_available() -> bool:
    """The Instructor section is for a class: shown only with a workshop or a bundles folder set
    (a learner's own working folder is not a folder of submissions)."""
    return bool(os.environ.get("ZTLAB_BUNDLES") or os.environ.get("ZTLAB_WORKSHOP"))


def available_sections() -> tuple[Section, ...]:
    return tuple(s for s in SECTIONS if s.mode != "instructor" or instructor_available())
