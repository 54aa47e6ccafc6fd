"""One lab: the briefing, the sandbox and the exports for another terminal, and the actions.

Start, check, hint, reset and solve run in one exclusive thread worker (group "lab") so the screen
stays responsive; the grader reports each objective as it is graded and the table fills in row by
row. Escape cancels. The lab in progress lives in the same state files the CLI uses, so
`ztlab lab check` in another terminal sees the same lab and agrees.

`e` swaps the selected objective's panel for the access explorer: who can perform the lab's
actions on the resources it names, on the account as the latest check read it. It is asked again
in its own worker (group "lab-access") after every check while it is shown.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import get_current_worker

from ztlab.tui.inert import markdown, markup_line, markup_title, text_block, text_line, text_title
from ztlab.tui.keymap import LAB_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.course_markdown import CourseMarkdown
from ztlab.untrusted.text import safe_line, safe_title

ACTIONS = {"start": "Setting up the lab in the sandbox", "reset": "Setting the lab up again",
           "check": "Grading", "hint": "Finding the next hint", "solve": "Applying the instructor's solution"}


class LabScreen(ZtlabScreen):
    SECTION_TITLE = "Lab"
    BINDINGS = LAB_BINDINGS

    class Graded(Message):
        """One objective's result, posted by the worker as soon as the grader produces it."""
        bubble = False

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class Done(Message):
        bubble = False

        def __init__(self, action: str, outcome: Any = None) -> None:
            super().__init__()
            self.action = action
            self.outcome = outcome

    class Failed(Message):
        bubble = False

        def __init__(self, action: str, text: str, cancelled: bool = False) -> None:
            super().__init__()
            self.action = action
            self.text = text
            self.cancelled = cancelled

    class AccessSeen(Message):
        """The access explorer's answer: (rows, account) or None before a check; or a problem."""
        bubble = False

        def __init__(self, answer: Any = None, problem: str | None = None) -> None:
            super().__init__()
            self.answer = answer
            self.problem = problem

    class SandboxSeen(Message):
        bubble = False

        def __init__(self, view: Any) -> None:
            super().__init__()
            self.view = view

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.busy: str | None = None
        self.view: Any = None  # lab_actions.SandboxView, once read
        self._variant_seed: tuple[str | None] | None = None  # this learner's, once the workshop file is read
        self.results: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="lab"):
            with VerticalScroll(id="lab-briefing"):
                yield CourseMarkdown(id="lab-markdown")
            with Vertical(id="lab-side"):
                yield Static("Looking at the sandbox…", id="lab-sandbox", classes="panel")
                with Vertical(id="lab-busy"):
                    yield Static(id="lab-busy-label")
                    yield ProgressBar(id="lab-progress", show_eta=False)
                yield DataTable(id="objectives", cursor_type="row", classes="panel")
                yield Static(id="objective-detail", classes="panel")
                with VerticalScroll(id="lab-access", classes="panel"):
                    yield Static(id="lab-access-text")
                yield Static(id="lab-hints", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#lab-sandbox").border_title = "Sandbox"
        self.query_one("#objective-detail").border_title = "Selected objective"
        hints = self.query_one("#lab-hints", Static)
        hints.border_title = "Hints"
        hints.display = False
        access = self.query_one("#lab-access")
        access.border_title = "Who can act now"
        access.display = False
        table = self.query_one("#objectives", DataTable)
        table.border_title = "Objectives"
        self._title_width = 0
        self._set_columns(38)
        self.query_one("#lab-busy").display = False
        super().on_mount()
        table.focus()
        self.call_after_refresh(self._fit_columns)
        self.look_at_sandbox()

    @property
    def lab(self) -> Any:
        """The lab in this learner's names (their workshop variant), as `ztlab lab show` gives it."""
        from ztlab.labs.variants import personalise
        from ztlab.workshop.learner import current_variant_seed

        course = self.ztlab.course
        lab = course.labs.get(self.lab_id) if course else None
        if lab is None:
            return None
        if self._variant_seed is None:
            self._variant_seed = (current_variant_seed(course),)  # read the workshop file once
        return personalise(lab, self._variant_seed[0])

    def refresh_content(self) -> None:
        lab = self.lab
        if lab is None:
            return
        self.sub_title = safe_title(lab.title)
        self.query_one(CourseMarkdown).update(markdown(
            f"# {safe_title(lab.title)}\n\n*{lab.difficulty}, about {lab.minutes} minutes · "
            f"{', '.join(lab.principles)}*\n\n{lab.briefing}"))
        table = self.query_one("#objectives", DataTable)
        if table.row_count != len(lab.objectives):
            self._fill_rows(lab)
        self._show_detail()

    # -- the objectives table ----------------------------------------------------------------------

    def _set_columns(self, title_width: int) -> None:
        table = self.query_one("#objectives", DataTable)
        self._title_width = title_width
        table.clear(columns=True)
        table.add_column("Result", key="result", width=6)
        table.add_column("Objective", key="title", width=title_width)
        table.add_column("Pts", key="points", width=5)

    def _fill_rows(self, lab: Any) -> None:
        table = self.query_one("#objectives", DataTable)
        row = table.cursor_row
        table.clear()
        for objective in lab.objectives:
            result = self.results.get(objective.id)
            table.add_row(_mark(result) if result else "·", text_title(objective.title),
                          f"{result.awarded}/{result.points}" if result else str(objective.points), key=objective.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _fit_columns(self) -> None:
        """Titles take the width the pane has (60 columns beside the briefing, the whole terminal when
        narrow), so they are cut only when they must be."""
        table = self.query_one("#objectives", DataTable)
        room = table.content_region.width
        if room <= 0:  # the pane is hidden (narrow terminal, briefing shown)
            return
        # Result 6 + Pts 5, padding on both sides of three cells, and room for the vertical scroll bar.
        width = max(16, room - 6 - 5 - 6 * table.cell_padding - table.styles.scrollbar_size_vertical)
        if width != self._title_width and self.lab is not None:
            self._set_columns(width)
            self._fill_rows(self.lab)

    # -- the sandbox panel ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lab-sandbox", exit_on_error=False)
    def look_at_sandbox(self) -> None:
        from ztlab.tui import lab_actions

        try:
            view = lab_actions.sandbox_view()
        except Exception as exc:  # an unreadable state file must not take the screen down
            self.post_message(self.Failed("sandbox", f"could not read the sandbox state: {exc}"))
            return
        self.post_message(self.SandboxSeen(view))

    def on_lab_screen_sandbox_seen(self, message: SandboxSeen) -> None:
        self.view = view = message.view
        run = view.run
        here = run is not None and run.lab_id == self.lab_id
        if not view.running:
            text = "[b]Not running.[/b] [b]g[/b] starts the sandbox and sets this lab up."
        else:
            text = f"[b]{view.backend}[/b] at {markup_line(view.endpoint_url)} ({markup_line(view.region)}), running."
            if here:
                started = datetime.fromtimestamp(run.started_at).strftime("%H:%M")
                text += (f"\nIn progress since {started} · {run.checks} check(s) · best {run.best_score} pts"
                         "\nIn another terminal:  [b]eval \"$(ztlab sandbox env)\"[/b]"
                         "\n  ([b]y[/b] copies the exports instead)"
                         "\nFix the account there, then [b]c[/b] checks (or `ztlab lab check`).")
            elif run is not None:
                text += f"\nLab '{markup_line(run.lab_id)}' is in progress there; [b]g[/b] replaces it with this one."
            else:
                text += "\nNo lab is set up; [b]g[/b] sets this one up."
        self.query_one("#lab-sandbox", Static).update(text)
        self.refresh_bindings()

    @property
    def in_progress_here(self) -> bool:
        return bool(self.view and self.view.running and self.view.run and self.view.run.lab_id == self.lab_id)

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides what makes no sense yet (nothing to check before a start); None dims what
        # waits for the running action to finish.
        if action == "toggle_pane":
            return self.has_class("-narrow") or None
        if action == "start" and self.in_progress_here:
            return False  # set up already: R starts it over (after asking)
        if action in ("check", "hint", "reset", "solve", "copy_exports", "toggle_access") and not self.in_progress_here:
            return False
        if action in ("start", "check", "hint", "reset", "solve") and self.busy:
            return None
        return True

    def action_start(self) -> None:
        if self.busy or self.in_progress_here:
            return
        run = self.view.run if self.view and self.view.running else None
        if run is None:
            self._begin("start")
            return
        other = self.ztlab.course.labs.get(run.lab_id) if self.ztlab.course else None
        self._confirm(
            f"Replace the lab in progress with '{self.lab.title}'?",
            f"The sandbox account of '{other.title if other else run.lab_id}' is wiped: every change you made "
            f"there is lost ({run.checks} check(s) so far, best {run.best_score} pts; scores already saved stay).",
            "Replace it", "start")

    def action_reset(self) -> None:
        run = self.view.run if self.view else None
        self._confirm(
            f"Reset '{self.lab.title}'?",
            "The sandbox account is wiped and set up again from the start: every fix you made there is lost"
            + (f" ({run.checks} check(s) so far, best {run.best_score} pts; scores already saved stay)." if run else "."),
            "Reset and lose my changes", "reset")

    def action_solve(self) -> None:
        self._confirm(
            "Apply the instructor's solution?",
            "The reference solution is written over the account: your own changes may be overwritten, and "
            "the attempt is marked as solved by the reference (for instructors).",
            "Apply the solution", "solve")

    def _confirm(self, title: str, lost: str, confirm: str, action: str) -> None:
        from ztlab.tui.screens.confirm import ConfirmScreen

        def chosen(yes: bool | None) -> None:
            if yes:
                self._begin(action)

        self.app.push_screen(ConfirmScreen(markup_title(title), markup_line(lost), confirm), chosen)

    def action_cancel_or_back(self) -> None:
        if self.busy:
            self.action_cancel()
        else:
            self.ztlab.action_back()

    def action_toggle_pane(self) -> None:
        self.set_class(not self.has_class("-side"), "-side")
        self.call_after_refresh(self._fit_columns)  # the table had no width while hidden

    def action_toggle_access(self) -> None:
        access = self.query_one("#lab-access")
        shown = not access.display
        access.display = shown
        self.query_one("#objective-detail").display = not shown
        self.set_class(shown, "-access")  # a narrow terminal gives it the sandbox panel's rows too
        if shown:
            self.add_class("-side")  # on a narrow terminal, show the pane it is in
            access.focus()  # arrows and page keys scroll it; e again goes back to the objectives
            self._ask_access()
        else:
            self.query_one("#objectives", DataTable).focus()

    def action_check(self) -> None:
        self.query_one("#lab-hints").display = False  # they spoke of the account before this check
        self.remove_class("-hints")
        table = self.query_one("#objectives", DataTable)
        for row_key in list(table.rows):
            table.update_cell(row_key, "result", "…")
        self.results.clear()
        self._show_detail()
        self._begin("check")

    def action_hint(self) -> None:
        selected = self._selected_id()
        result = self.results.get(selected) if selected else None
        # A WAIT objective works already: its hint would be about nothing; the grader picks what fails.
        failing = selected if result is not None and not result.passed and not result.pending else None
        self._begin("hint", failing)

    def action_copy_exports(self) -> None:
        if self.view and self.view.exports:
            self.app.copy_to_clipboard(self.view.exports + "\n")
            self.notify("The exports are on the clipboard: paste them into another terminal.", title="Copied")

    def action_cancel(self) -> None:
        if self.busy:
            self.workers.cancel_group(self, "lab")
            self.notify("Cancelling… grading stops at the next objective; a set-up step finishes first.")

    def on_resize(self) -> None:
        self.refresh_bindings()  # b (switch panes) means something only on a narrow terminal
        self.call_after_refresh(self._fit_columns)

    def _begin(self, action: str, objective_id: str | None = None) -> None:
        if self.busy or self.ztlab.course is None:
            return
        self.busy = action
        self.add_class("-side")  # on a narrow terminal, show the pane where the outcome appears
        bar = self.query_one("#lab-progress", ProgressBar)
        bar.update(total=len(self.lab.objectives) if action == "check" else None, progress=0)
        self.query_one("#lab-busy-label", Static).update(f"{ACTIONS[action]}…  [b]esc[/b] cancels")
        self.query_one("#lab-busy").display = True
        self.refresh_bindings()
        self.run_action_worker(action, objective_id)

    @work(thread=True, exclusive=True, group="lab", exit_on_error=False)
    def run_action_worker(self, action: str, objective_id: str | None) -> None:
        from ztlab.tui import lab_actions

        worker = get_current_worker()
        course = self.ztlab.course
        try:
            if action == "check":
                outcome = lab_actions.check(course, self.lab_id, lambda r: self.post_message(self.Graded(r)),
                                            lambda: worker.is_cancelled)
            elif action == "hint":
                outcome = lab_actions.hint(course, self.lab_id, objective_id)
            elif action == "start":
                outcome = lab_actions.start(course, self.lab_id, None)
            else:
                outcome = getattr(lab_actions, action)(course, self.lab_id)
        except lab_actions.Cancelled:
            self.post_message(self.Failed(action, "Cancelled.", cancelled=True))
            return
        except lab_actions.expected_errors() as exc:
            self.post_message(self.Failed(action, str(exc)))
            return
        except Exception as exc:  # a bug must still leave the screen usable, with something to report
            self.post_message(self.Failed(action, f"unexpected {type(exc).__name__}: {exc}"))
            return
        if worker.is_cancelled:
            self.post_message(self.Failed(action, f"Cancelled after the {action} had finished; "
                                                  "R sets the lab up again if in doubt.", cancelled=True))
            return
        self.post_message(self.Done(action, outcome))

    def _ask_access(self) -> None:
        self._show_access_text(Text("Asking the engine…", style="italic"))
        self.explore_access()

    @work(thread=True, exclusive=True, group="lab-access", exit_on_error=False)
    def explore_access(self) -> None:
        from ztlab.tui import lab_actions

        worker = get_current_worker()
        try:
            seen = self.AccessSeen(lab_actions.access(self.ztlab.course, self.lab_id))
        except lab_actions.expected_errors() as exc:
            seen = self.AccessSeen(problem=str(exc))
        except Exception as exc:  # a bug must still leave the screen usable, with something to report
            seen = self.AccessSeen(problem=f"unexpected {type(exc).__name__}: {exc}")
        if not worker.is_cancelled:  # a later check asked again: this answer is about an older account
            self.post_message(seen)

    def on_lab_screen_access_seen(self, message: AccessSeen) -> None:
        if message.problem is not None:
            self._show_access_text(text_block(f"Cannot tell: {message.problem}"))
            return
        if message.answer is None:
            self._show_access_text(Text("Not checked yet: c grades the lab, and this shows who can act on the "
                                        "resources it names, as the check read the account.", style="italic"))
            return
        self._show_access_text(access_text(*message.answer))

    def _show_access_text(self, text: Text) -> None:
        self.query_one("#lab-access-text", Static).update(text)

    def on_lab_screen_graded(self, message: Graded) -> None:
        result = message.result
        self.results[result.id] = result
        table = self.query_one("#objectives", DataTable)
        if result.id in table.rows:
            table.update_cell(result.id, "result", _mark(result))
            table.update_cell(result.id, "points", f"{result.awarded}/{result.points}")
        self.query_one("#lab-progress", ProgressBar).advance(1)
        if self._selected_id() == result.id:
            self._show_detail()

    def on_lab_screen_done(self, message: Done) -> None:
        self._finish()
        action, outcome = message.action, message.outcome
        if action == "check":
            if self.query_one("#lab-access").display:
                self._ask_access()  # the check read the account afresh: so does the explorer
            verdict = "every objective passes" if outcome.passed else "not yet"
            self.notify(f"{outcome.score}/{outcome.max_score} points: {verdict}.",
                        title="Lab passed" if outcome.passed else "Checked",
                        severity="information" if outcome.passed else "warning")
            self._show_detail()
        elif action == "hint":
            self._show_hints(outcome)
        elif action == "solve":
            self.notify("The instructor's solution is applied. Press c to check it.", title="Solved (instructor)")
        else:
            self.results.clear()
            self.query_one("#objectives", DataTable).clear()
            self.refresh_content()
            if self.query_one("#lab-access").display:
                self._ask_access()  # a new account: nothing checked in it yet
            self.notify("The lab is set up. Press y to copy the exports for another terminal.", title="Lab ready")

    def on_lab_screen_failed(self, message: Failed) -> None:
        self._finish()
        if message.cancelled:
            self.notify(message.text, title=f"{message.action.capitalize()} cancelled", severity="warning")
        else:
            self.notify(message.text, title=f"Could not {message.action}", severity="error", timeout=20)

    def _finish(self) -> None:
        self.busy = None
        self.query_one("#lab-busy").display = False
        store = self.ztlab.card_store
        if store is not None:
            store.forget_cache()  # the lab runtime wrote attempts and due cards through its own connection
        self.ztlab.progress_version += 1
        self.look_at_sandbox()

    def _show_hints(self, step: Any) -> None:
        """The ladder so far for the objective that fails now, and the grader's evidence: it stays
        on screen (a toast would vanish) until the next hint or check."""
        panel = self.query_one("#lab-hints", Static)
        panel.display = True
        self.add_class("-hints")  # a short terminal gives the sandbox panel's rows to the hints
        if step.all_pass:
            panel.update(text_block(step.describe(), style="bold"))
            return
        parts: list[Any] = []
        if step.asked_passes:
            parts.append(text_line(f"'{step.asked_passes}' passes now.", style="italic"))
        parts.append(text_title(step.objective_title or step.objective_id, style="bold"))
        for number, text in enumerate(step.ladder, start=1):
            parts.append(text_block(f"{number}/{step.available}  {text}", style="" if number == step.number else "dim"))
        if not step.ladder:
            parts.append(Text("No written hints for this objective; the evidence below says what fails.", style="italic"))
        parts += [text_line(line) for line in step.evidence_lines()]  # names read from the account
        panel.update(Text("\n").join(parts))
        if step.objective_id in self.query_one("#objectives", DataTable).rows:
            self.query_one("#objectives", DataTable).move_cursor(
                row=self.query_one("#objectives", DataTable).get_row_index(step.objective_id))

    # -- the selected objective -------------------------------------------------------------------

    def _selected_id(self) -> str | None:
        table = self.query_one("#objectives", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        lab = self.lab
        objective_id = self._selected_id()
        detail = self.query_one("#objective-detail", Static)
        if lab is None or objective_id is None:
            detail.update("")
            return
        objective = next(o for o in lab.objectives if o.id == objective_id)
        result = self.results.get(objective_id)
        parts: list[Any] = [text_title(objective.title, style="bold")]
        if result is None:
            parts.append(Text("Not checked yet: c grades the lab.", style="italic"))
        else:
            status = "WAIT (works; points once a security objective passes)" if result.pending else result.status
            parts.append(text_line(f"{status}  {result.awarded}/{result.points} pts", style="bold"))
            parts.append(text_block(result.message))  # a grade script's output, names from the account
            if result.where:
                parts.append(text_line("Where: " + ", ".join(result.where)))
            if result.why:
                parts.append(text_block("Why: " + result.why))
            for item in result.evidence[:4]:
                parts.append(text_line("Evidence: " + json.dumps(item, default=str)[:300], style="dim"))
            if result.next_hint:
                parts.append(text_block("Hint: " + result.next_hint, style="italic"))
        detail.update(Text("\n").join(parts))


def _mark(result: Any) -> Text:
    """An objective's Result cell: FAIL stands out; WAIT (works, points held back) is not a failure."""
    if result.passed:
        return Text("PASS", style="bold")
    return Text("WAIT", style="italic") if result.pending else Text("FAIL", style="reverse bold")


def access_text(rows: list[Any], account: str) -> Text:
    """One block per resource: each lab action and who may perform it (with the conditions)."""
    from ztlab.labs.access_view import short_principal

    if not rows:
        return Text("The lab names no resource whose access can be asked about.", style="italic")
    parts: list[Text] = [Text("As the last check read the account:", style="italic")]
    for row in rows:
        parts.append(text_line(row.resource, style="bold"))  # names and policies read from the account
        width = max(len(a) for a in row.actions)
        for action, grants in row.by_action().items():
            who = []
            for grant in grants:
                name = short_principal(grant, account)
                if grant.conditions:
                    name += " (if " + ", ".join(f"{k}={v}" for k, v in grant.conditions.items()) + ")"
                who.append(name)
            line = Text(f"  {action:<{width}}  ")
            line.append(safe_line(", ".join(who)) if who else "nobody", style="" if who else "dim")
            parts.append(line)
        for problem in row.problems:
            parts.append(text_line(f"  could not judge: {problem}", style="dim"))
    return Text("\n").join(parts)
