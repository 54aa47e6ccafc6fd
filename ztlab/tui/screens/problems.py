"""Shown instead of a crash when the course cannot be loaded: every problem, where it is, and r to retry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ztlab.tui.inert import markup_line
from ztlab.tui.keymap import PROBLEMS_BINDINGS
from ztlab.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from ztlab.content import Problem


def _short(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def problem_line(problem: Problem) -> str:
    where = _short(problem.file) + (f":{problem.line}:{problem.column}" if problem.line else "")
    text = f"[b]{markup_line(where)}[/b]\n  {markup_line(problem.message)}"
    if problem.expected:
        text += f"\n  [dim]expected {markup_line(problem.expected)}[/dim]"
    return text


class ProblemsScreen(ModalScreen[None]):
    BINDINGS = PROBLEMS_BINDINGS

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            yield Static(
                f"[b]The course has {len(self.problems)} content problem{'s' if len(self.problems) != 1 else ''}[/b]\n"
                "Fix the files below, then press [b]r[/b] to load them again "
                "(or check from a shell with [b]ztlab content check[/b]).",
                id="problems-title",
            )
            with VerticalScroll(id="problems-list"):
                for problem in self.problems:
                    yield Static(problem_line(problem), classes="problem")
        yield KeysFooter()
