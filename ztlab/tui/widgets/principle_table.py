"""Home's table: per principle, lessons read out of total, cards and labs. Enter opens the lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from ztlab.principles import PRINCIPLE_TITLES, PRINCIPLES
from ztlab.tui import messages

if TYPE_CHECKING:
    from ztlab.content import Course


class PrincipleTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.border_title = "Progress by principle"
        self.add_column("Principle", key="principle")
        self.add_column("Lessons read", key="lessons")
        self.add_column("Cards", key="cards")
        self.add_column("Labs", key="labs")

    def show(self, course: Course, done: frozenset[str]) -> None:
        self.clear()
        counts = course.counts_by_principle()
        read = {slug: 0 for slug in PRINCIPLES}
        for lesson in course.lessons.values():
            if lesson.id in done:
                for slug in lesson.principles:
                    read[slug] += 1
        for slug in PRINCIPLES:
            c = counts[slug]
            self.add_row(PRINCIPLE_TITLES[slug], f"{read[slug]} / {c['lessons']}", str(c["cards"]),
                         str(c["labs"]), key=slug)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(messages.ShowLessons(principle=event.row_key.value))
