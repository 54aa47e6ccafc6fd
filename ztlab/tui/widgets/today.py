"""Home's "Today" line: cards due, new cards waiting, and lab progress, from the progress store."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class Today(Static):
    def show(self, course: Any, store: Any, problem: str | None) -> None:
        self.display = bool(problem) or (course is not None and store is not None)
        if problem:
            self.update(f"[b]Progress is not available:[/b] {_escape(problem)}")
            return
        if course is None or store is None:
            self.update("")
            return
        from ztlab.srs import stats
        from ztlab.tui import progress_store
        from ztlab.tui.lab_status import lab_statuses

        s = stats(store, course, progress_store.now())
        statuses = lab_statuses(store.lab_attempts())
        passed = sum(1 for lab_id in course.labs if statuses.get(lab_id) and statuses[lab_id].status == "passed")
        self.update(f"[b]Today[/b]  {s.due_today} card(s) due, {s.new_available} new waiting "
                    f"({store.settings.new_cards_per_day} a day)  ·  [b]r[/b] review   "
                    f"Labs passed: {passed} of {len(course.labs)}  ·  [b]a[/b] labs   [b]t[/b] stats")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
