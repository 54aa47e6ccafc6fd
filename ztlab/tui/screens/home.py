"""Home: the suggested next step and progress per principle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ztlab.tui.keymap import HOME_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.next_step import NextStep
from ztlab.tui.widgets.principle_table import PrincipleTable
from ztlab.tui.widgets.today import Today


class HomeScreen(ZtlabScreen):
    SECTION_TITLE = "Home"
    BINDINGS = HOME_BINDINGS

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home"):
            yield NextStep(id="next-step")
            yield Today(id="today")
            # The table is mounted when the course arrives (it has nothing to show before).
            yield Static(
                "[b]l[/b] lessons  [b]s[/b] settings  [b]?[/b] keys on this screen  "
                "[b]ctrl+p[/b] every command  [b]q[/b] quit",
                id="home-hint",
            )

    def refresh_content(self) -> None:
        app = self.ztlab
        done = app.lessons_done()
        self.query_one(NextStep).show(app.course, done, loading=app.content_loading)
        self.query_one(Today).show(app.course, app.card_store, app.progress_problem)
        tables = self.query(PrincipleTable)
        if app.course is None:
            tables.remove()
            return
        table = tables.first() if tables else PrincipleTable(id="principles")
        if not tables:
            self.query_one("#home").mount(table, before="#home-hint")
        table.show(app.course, done, *self._studied_and_passed())

    def _studied_and_passed(self) -> tuple[set[str], set[str]]:
        store = self.ztlab.card_store
        if store is None:
            return set(), set()
        from ztlab.labs.status import lab_statuses

        try:
            studied = {row[0] for row in store.read("SELECT card_id FROM cards WHERE state != 0")}
            passed = {lab_id for lab_id, status in lab_statuses(store.lab_attempts()).items() if status.status == "passed"}
        except Exception:  # a damaged store is reported elsewhere; the table still shows the lessons
            return set(), set()
        return studied, passed

    def action_open_next(self) -> None:
        self.query_one(NextStep).open()
