"""Home's "Today" lines: today's queue as Review will show it, the course's cards by state, and
lab progress, from the progress store (the same numbers as Stats and `ztlab cards stats`)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from ztlab.tui.inert import markup_block


class Today(Static):
    def show(self, course: Any, store: Any, problem: str | None) -> None:
        self.display = bool(problem) or (course is not None and store is not None)
        if problem:
            self.update(f"[b]Progress is not available:[/b] {markup_block(problem)}")
            return
        if course is None or store is None:
            self.update("")
            return
        from ztlab.srs import stats
        from ztlab.tui import progress_store
        from ztlab.labs.status import lab_statuses

        s = stats(store, course, progress_store.now())
        statuses = lab_statuses(store.lab_attempts())
        passed = sum(1 for lab_id in course.labs if statuses.get(lab_id) and statuses[lab_id].status == "passed")
        self.update(f"[b]Today[/b]  {s.describe_today()}  ·  [b]r[/b] review\n"
                    f"Cards: {s.describe_cards()}  ·  [b]t[/b] stats\n"
                    f"Labs passed: {passed} of {len(course.labs)}  ·  [b]a[/b] labs")
