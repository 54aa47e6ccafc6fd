"""Labs: the catalogue with each lab's status (not started / in progress / passed) and best score."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from ztlab.tui import messages
from ztlab.tui.inert import text_title
from ztlab.tui.keymap import LABS_BINDINGS
from ztlab.labs.status import NOT_STARTED, describe_best, lab_statuses
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.table_rows import set_rows


class LabsScreen(ZtlabScreen):
    SECTION_TITLE = "Labs"
    BINDINGS = LABS_BINDINGS

    def compose_body(self) -> ComposeResult:
        with Vertical(id="labs"):
            table = DataTable(id="lab-list", cursor_type="row", zebra_stripes=True, classes="panel")
            table.border_title = "Labs"
            yield table
            yield Static("[b]enter[/b] opens a lab: its briefing, the sandbox, start, check and hints.", id="labs-hint")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Status", "Best", "Lab", "Level", "Time", "Principles")
        super().on_mount()
        self.query_one(DataTable).focus()

    def refresh_content(self) -> None:
        from ztlab.labs.run_state import LabRun  # a small JSON file: cheap to read on every refresh

        app = self.ztlab
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        if app.course is None:
            set_rows(table, [])
            return
        store = app.card_store
        statuses = lab_statuses(store.lab_attempts()) if store is not None else {}
        running = LabRun.load()
        rows, keys = [], []
        for lab in sorted(app.course.labs.values(), key=lambda lab: (lab.minutes, lab.title)):
            status = statuses.get(lab.id, NOT_STARTED)
            label = status.status
            if running and running.lab_id == lab.id and label != "passed":
                label = "in progress"
            style = {"passed": "bold", "in progress": "italic"}.get(label, "dim")
            rows.append((Text(label, style=style), describe_best(status), text_title(lab.title), lab.difficulty,
                         f"{lab.minutes} min", ", ".join(lab.principles)))
            keys.append(lab.id)
        if set_rows(table, rows, keys) and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(messages.OpenLab(str(event.row_key.value)))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()
