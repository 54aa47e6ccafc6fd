"""Instructor: the class live, from a folder of submission bundles (a shared drive, an LMS export).

Learners by objectives (PASS/FAIL as each bundle claims), score, hints, time, who looks stuck and
why, the pass rate per objective, and the files that could not be read. The folder is read again
every few seconds in a worker, so bundles appear as learners submit; `g` reads it now. With
ZTLAB_WORKSHOP set, the workshop orders the columns and its key checks each bundle's signature.
The numbers come from `ztlab.workshop.report.load_report`; `ztlab workshop regrade` proves them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from ztlab.tui.inert import markup_block, markup_line, markup_title, text_line
from ztlab.tui.keymap import INSTRUCTOR_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.untrusted.text import MAX_NAME

BUNDLES_ENV = "ZTLAB_BUNDLES"
REFRESH_SECONDS = 3.0
MARKS = {"PASS": "PASS", "FAIL": "FAIL", "UNKNOWN": "?", "-": "-"}


def default_folder() -> str:
    return os.environ.get(BUNDLES_ENV) or os.getcwd()


class InstructorScreen(ZtlabScreen):
    SECTION_TITLE = "Instructor"
    BINDINGS = INSTRUCTOR_BINDINGS
    AUTO_FOCUS = "#instructor-table"

    class Loaded(Message):
        def __init__(self, report: Any, folder: Path, notes: list[str]) -> None:
            super().__init__()
            self.report = report
            self.folder = folder
            self.notes = notes

    def __init__(self) -> None:
        super().__init__()
        self._loading = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="instructor"):
            with Horizontal(id="instructor-folder-row"):
                yield Label("Bundles folder", id="instructor-folder-label")
                yield Input(default_folder(), id="instructor-folder",
                            tooltip=f"Where learners' submissions land (default: ${BUNDLES_ENV}, else the current folder)")
            yield Static("Reading the bundles…", id="instructor-summary")
            yield DataTable(id="instructor-table", cursor_type="row", classes="panel", zebra_stripes=True)
            yield DataTable(id="instructor-rates", cursor_type="row", classes="panel")
            yield Static(id="instructor-stuck")
            yield Static(id="instructor-unreadable")

    def on_mount(self) -> None:
        self.query_one("#instructor-table").border_title = "Learners by objectives (as claimed)"
        rates = self.query_one("#instructor-rates", DataTable)
        rates.border_title = "Pass rate per objective"
        rates.add_columns("#", "Lab", "Objective", "Passed", "Rate")
        self.set_interval(REFRESH_SECONDS, self._tick)
        super().on_mount()

    def refresh_content(self) -> None:
        self.reload()

    def action_refresh_report(self) -> None:
        self.reload()

    def action_leave_field(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#instructor-table").focus()
        else:
            self.ztlab.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.reload()
        self.query_one("#instructor-table").focus()

    def _tick(self) -> None:
        # Only while on screen, and never stacking reads of a slow folder (threads cannot be cancelled).
        if self.is_current and not self._loading:
            self.reload()

    def reload(self) -> None:
        text = self.query_one("#instructor-folder", Input).value.strip()
        self._loading = True
        self.read_folder(Path(text).expanduser() if text else Path.cwd(), self.ztlab.course)

    # A description, or Textual would repr() the whole course for the worker's name.
    @work(thread=True, exclusive=True, group="instructor", exit_on_error=False, description="reading bundles")
    def read_folder(self, folder: Path, course: Any) -> None:
        from ztlab.workshop import ENV_VAR, WorkshopError, load_report, load_workshop, workshop_key

        notes: list[str] = []
        loaded = key = None
        workshop_file = os.environ.get(ENV_VAR)
        if workshop_file:
            try:
                loaded = load_workshop(Path(workshop_file), course)
                key = workshop_key(loaded)
            except WorkshopError as exc:
                notes.append(f"Workshop {workshop_file} not used: {exc}")
        if not folder.exists():
            notes.append(f"{folder} does not exist: type the folder the bundles land in and press Enter.")
        try:
            report = load_report(folder, workshop=loaded, key=key, course=course if loaded else None)
        except Exception as exc:  # noqa: BLE001 - a worker that dies would stop the refreshes for good
            notes.append(f"{folder} cannot be read: {getattr(exc, 'strerror', None) or exc}")
            report = None
        self.post_message(self.Loaded(report, folder, notes))

    def on_instructor_screen_loaded(self, message: Loaded) -> None:
        self._loading = False
        report = message.report
        summary = [markup_block(note) for note in message.notes]
        if report is None:
            self.query_one("#instructor-summary", Static).update("\n".join(summary))
            return
        signatures = "signatures checked with the workshop key" if any(
            l.signature != "unchecked" for l in report.learners) else "signatures not checked"
        summary.insert(0, f"[b]{markup_title(report.title)}[/b]: [b]{len(report.learners)}[/b] submission(s) in "
                          f"{markup_line(message.folder)}, {len(report.stuck_learners)} look stuck; {signatures}. "
                          f"Read at {time.strftime('%H:%M:%S')}, again every {REFRESH_SECONDS:g} s (g: now).")
        self.query_one("#instructor-summary", Static).update("\n".join(summary))
        self._fill_learners(report)
        self._fill_rates(report)
        stuck = report.stuck_learners
        self.query_one("#instructor-stuck", Static).update(
            "Looks stuck: " + ("nobody" if not stuck else "".join(
                f"\n  [b]{markup_line(l.name, MAX_NAME)}[/b]: {markup_line('; '.join(l.stuck))}" for l in stuck)))
        unreadable = self.query_one("#instructor-unreadable", Static)
        unreadable.display = bool(report.unreadable)
        unreadable.update(f"Not read ({len(report.unreadable)}):" + "".join(
            f"\n  {markup_line(reason)}" for reason in report.unreadable))

    def _fill_learners(self, report: Any) -> None:
        table = self.query_one("#instructor-table", DataTable)
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        table.clear(columns=True)
        table.add_column("Learner", key="learner")
        for number, (lab, objective) in enumerate(report.columns, 1):
            table.add_column(str(number), key=f"{lab}/{objective}")
        # Hints and time are self-reported (the learner's ztlab counts them); points are proven only
        # once `ztlab workshop regrade` has replayed the file on this machine.
        for label, key in (("Score", "score"), ("Points are", "proof"), ("Hints (self)", "hints"),
                           ("Time (self)", "time"), ("Signature", "signature"), ("Stuck", "stuck")):
            table.add_column(label, key=key)
        for learner in report.learners:
            labs = learner.labs.values()
            max_score = sum(row.max_score for row in labs)
            minutes = sum(row.minutes_spent for row in labs)
            marks = [text_line(MARKS.get(s, s), style="bold" if s == "FAIL" else "")
                     for s in (report.status(learner, *column) for column in report.columns)]
            stuck = text_line("! " + "; ".join(learner.stuck), style="bold") if learner.stuck else Text("")
            table.add_row(text_line(learner.name, limit=MAX_NAME), *marks, f"{learner.score}/{max_score}" if max_score else str(learner.score),
                          Text(learner.proof, style="bold" if learner.proof == "FLAGGED" else ""),
                          str(sum(row.hints for row in labs)), f"{minutes:.0f} min", text_line(learner.signature), stuck,
                          key=str(learner.bundle))
        if keep is not None and keep in {str(l.bundle) for l in report.learners}:
            table.move_cursor(row=table.get_row_index(keep))

    def _fill_rates(self, report: Any) -> None:
        table = self.query_one("#instructor-rates", DataTable)
        table.clear()
        for number, ((lab, objective), (passed, total)) in enumerate(report.pass_rates().items(), 1):
            table.add_row(str(number), text_line(lab), text_line(objective), f"{passed}/{total}", f"{100 * passed // total}%" if total else "–")
