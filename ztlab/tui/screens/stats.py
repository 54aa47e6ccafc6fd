"""Stats: the 30-day forecast and reviews per day as sparklines, true retention, streak, mastery
per principle and per lesson, leeches, and the best score per lab. Numbers come from
`ztlab.srs.stats`, computed in a worker so a large history never freezes the screen."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Sparkline, Static

from ztlab.tui import progress_store
from ztlab.tui.inert import markup_block, markup_line, markup_title
from ztlab.tui.keymap import STATS_BINDINGS
from ztlab.labs.status import describe_best, lab_statuses
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.table_rows import set_rows


class StatsScreen(ZtlabScreen):
    SECTION_TITLE = "Stats"
    BINDINGS = STATS_BINDINGS

    class Computed(Message):
        def __init__(self, stats: Any, labs: dict) -> None:
            super().__init__()
            self.stats = stats
            self.labs = labs

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="stats"):
            yield Static("Loading…", id="stats-numbers")
            with Horizontal(id="stats-charts"):
                with Vertical(classes="chart panel", id="forecast-box"):
                    yield Static(id="forecast-label")
                    yield Sparkline([], id="forecast", summary_function=max)
                with Vertical(classes="chart panel", id="history-box"):
                    yield Static(id="history-label")
                    yield Sparkline([], id="history", summary_function=max)
            yield DataTable(id="mastery-principles", cursor_type="row", classes="panel")
            yield DataTable(id="lab-scores", cursor_type="row", classes="panel")
            yield DataTable(id="mastery-lessons", cursor_type="row", classes="panel")
            yield Static(id="leeches")

    def on_mount(self) -> None:
        self.query_one("#forecast-box").border_title = "Due per day, next 30 days"
        self.query_one("#history-box").border_title = "Reviews per day, last 30 days"
        for table_id, title, columns in (
            ("#mastery-principles", "Mastery by principle", ("Principle", "Cards", "Seen", "Recall now")),
            ("#mastery-lessons", "Mastery by lesson", ("Lesson", "Cards", "Seen", "Recall now")),
            ("#lab-scores", "Lab scores", ("Lab", "Status", "Best", "Tries", "Hints")),
        ):
            table = self.query_one(table_id, DataTable)
            table.border_title = title
            table.add_columns(*columns)
        super().on_mount()

    def refresh_content(self) -> None:
        app = self.ztlab
        store = app.card_store
        if app.course is None or store is None:
            self.query_one("#stats-numbers", Static).update(
                f"Progress is not available: {markup_block(app.progress_problem)}" if app.progress_problem else "Loading…")
            return
        self.compute(store, app.course)

    def action_refresh_stats(self) -> None:
        self.refresh_content()

    # A description, or Textual would repr() the whole course for the worker's name on every refresh.
    @work(thread=True, exclusive=True, group="stats", exit_on_error=False, description="statistics")
    def compute(self, store: Any, course: Any) -> None:
        from ztlab.srs import stats

        self.post_message(self.Computed(stats(store, course, progress_store.now()), lab_statuses(store.lab_attempts())))

    def on_stats_screen_computed(self, message: Computed) -> None:
        s = message.stats
        from ztlab.srs.stats import LAB_CARDS_RULE

        lab_rule = f"\n  ({LAB_CARDS_RULE})" if s.queue_now.get("lab") else ""
        self.query_one("#stats-numbers", Static).update(
            f"Today: {s.describe_today()}{lab_rule}\n"
            f"Cards: {s.describe_cards()}\n"
            f"Due today, limits not applied: {s.due_today} (overdue {s.overdue})\n"
            f"True retention, 30 days: {markup_line(s.describe_retention())}\n"
            f"Streak [b]{s.streak}[/b] day(s)   "
            f"Reviews today [b]{s.reviews_today}[/b], average {s.average_reviews_per_day:.1f}/day")
        forecast = list(s.forecast_30d)
        history = [count for _day, count in s.reviews_per_day]
        self.query_one("#forecast", Sparkline).data = forecast
        self.query_one("#history", Sparkline).data = history
        self.query_one("#forecast-label", Static).update(
            f"today {forecast[0] if forecast else 0}, tomorrow {forecast[1] if len(forecast) > 1 else 0}, "
            f"peak {max(forecast, default=0)}, total {sum(forecast)}")
        self.query_one("#history-label", Static).update(
            f"total {sum(history)}, best day {max(history, default=0)}")
        self._fill("#mastery-principles", [(m.title, m.cards, m.seen, f"{m.mastery:.0%}") for m in s.mastery_by_principle])
        self._fill("#mastery-lessons", [(m.title, m.cards, m.seen, f"{m.mastery:.0%}") for m in s.mastery_by_lesson])
        course = self.ztlab.course
        rows = []
        for lab in sorted(course.labs.values(), key=lambda lab: lab.title) if course else []:
            status = message.labs.get(lab.id)
            rows.append((lab.title, status.status if status else "not started",
                         describe_best(status) if status else "–",
                         status.attempts if status else 0, status.hints if status else 0))
        self._fill("#lab-scores", rows)
        leeches = ", ".join(s.leeches) if s.leeches else "none"
        self.query_one("#leeches", Static).update(
            f"Leeches (forgotten again and again, suspended until rewritten): {markup_line(leeches)}")

    def _fill(self, selector: str, rows: list[tuple]) -> None:
        set_rows(self.query_one(selector, DataTable),
                 [tuple(markup_title(cell) for cell in row) for row in rows])  # titles come from packs
