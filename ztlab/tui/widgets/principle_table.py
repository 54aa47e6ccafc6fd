"""Home's table: per principle, progress out of the course's total: lessons read, cards studied,
labs passed. Enter opens the lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from ztlab.principles import PRINCIPLE_TITLES, PRINCIPLES
from ztlab.tui import messages
from ztlab.tui.widgets.table_rows import set_rows

if TYPE_CHECKING:
    from ztlab.content import Course


class PrincipleTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.border_title = "Progress by principle"
        self.add_column("Principle", key="principle")
        self.add_column("Lessons read", key="lessons")
        self.add_column("Cards studied", key="cards")
        self.add_column("Labs passed", key="labs")

    def show(self, course: Course, done: frozenset[str], studied: set[str] = frozenset(),
             passed: set[str] = frozenset()) -> None:
        """`studied`: card ids answered at least once; `passed`: lab ids passed at least once."""
        counts = course.counts_by_principle()
        mine = {slug: {"lessons": 0, "cards": 0, "labs": 0} for slug in PRINCIPLES}
        for lesson in course.lessons.values():
            if lesson.id in done:
                for slug in lesson.principles:
                    mine[slug]["lessons"] += 1
        for card_id in studied:
            card = course.cards.get(card_id)
            if card is not None:
                mine[card.principle]["cards"] += 1
        for lab_id in passed:
            for slug in getattr(course.labs.get(lab_id), "principles", ()):
                mine[slug]["labs"] += 1
        rows = [(PRINCIPLE_TITLES[slug], *(f"{mine[slug][k]} / {counts[slug][k]}" for k in ("lessons", "cards", "labs")))
                for slug in PRINCIPLES]
        set_rows(self, rows, list(PRINCIPLES))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(messages.ShowLessons(principle=event.row_key.value))
