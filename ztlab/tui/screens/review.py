"""Review: today's queue one card at a time; space reveals, 1-4 rate, u undo, x suspend, b bury.

Every answer is committed by `ReviewSession` before the next card is shown. The screen only
displays what the session says and forwards keys to it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ztlab.tui import progress_store
from ztlab.tui.inert import markup_block, markup_line
from ztlab.tui.keymap import REVIEW_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.card_view import CardView

if TYPE_CHECKING:
    from ztlab.srs import ReviewSession

RATINGS = ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))
POLL_SECONDS = 1.0


class ReviewScreen(ZtlabScreen):
    SECTION_TITLE = "Review"
    BINDINGS = REVIEW_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.session: ReviewSession | None = None
        self.lesson_filter: str | None = None
        self.revealed = False
        self.tally: Counter[int] = Counter()
        self._steps: list[int | None] = []  # this screen's answers (rating) and skips (None), for undo
        self._settings: object = None  # the settings the session's queue was built with

    def compose_body(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(id="review-status")
            yield CardView(id="card")
            yield Button("Show answer  [b]space[/b]", id="reveal", variant="primary", compact=True)
            with Horizontal(id="ratings"):
                for value, name in RATINGS:
                    yield Button(f"{value} {name}", id=f"rate-{value}", classes="rating", disabled=True, compact=True)
            yield Static(id="review-summary")

    def on_mount(self) -> None:
        super().on_mount()
        # `ztlab review --plain` in another terminal may answer the card shown here: look every
        # second (one PRAGMA) and move on rather than let the same card be answered twice.
        self.set_interval(POLL_SECONDS, self._look_for_other_answers)

    def _look_for_other_answers(self) -> None:
        session = self.session
        if session is None or not self.is_current or session.current is None:
            return
        try:
            if not session.changed_elsewhere():
                return
            before = session.current.card_id
            after = session.next_card()
        except Exception:  # a locked store: try again at the next tick
            return
        if after is None or after.card_id != before:
            self.notify(f"'{before}' was answered in another ztlab window.", title="Queue updated")
            self.revealed = False
        self.show_current()

    # -- state ------------------------------------------------------------------------------------

    def set_lesson_filter(self, lesson_id: str | None) -> None:
        self.lesson_filter = lesson_id
        self.session = None
        self.refresh_content()

    def refresh_content(self) -> None:
        app = self.ztlab
        store = app.card_store
        if app.course is None or store is None:
            why = ("Loading the course…" if app.content_loading else
                   f"Progress is not available: {markup_block(app.progress_problem)}" if app.progress_problem else
                   "Opening your progress…" if app.course is not None else "The course could not be loaded.")
            self._show_message(why)
            return
        if (self.session is None or self.session.store is not store or self.session.course is not app.course
                or self._settings is not app.settings):
            self._settings = app.settings  # a new limit or retention makes a new queue at once
            from ztlab.srs import QueueFilter, ReviewSession

            self.session = ReviewSession(store, app.course, filters=QueueFilter(lesson=self.lesson_filter),
                                         clock=progress_store.now)
            self.revealed = False
        self.show_current()

    def show_current(self) -> None:
        assert self.session is not None
        item = self.session.next_card()
        if item is None:
            self._show_summary()
            return
        counts = self.session.counts()
        scope = self.session.filters.describe()
        labs = f"  [b]{counts['lab']}[/b] from labs" if counts["lab"] else ""
        self.query_one("#review-status", Static).update(
            f"reviewed: [b]{sum(self.tally.values())}[/b]   ·   left: [b]{counts['new']}[/b] new  "
            f"[b]{counts['learning']}[/b] learning  [b]{counts['review']}[/b] review{labs}   ·   {markup_line(scope)}")
        lesson = self.ztlab.course.card_lesson.get(item.card_id, "?") if self.ztlab.course else "?"
        self.query_one(CardView).show(item.card, revealed=self.revealed, where=f"{item.kind} · lesson {lesson}")
        self.query_one("#review-summary").display = False
        self.query_one(CardView).display = True
        reveal = self.query_one("#reveal", Button)
        reveal.display = not self.revealed
        self.query_one("#ratings").display = True
        previews = self.session.preview() if self.revealed else {}
        from ztlab.srs import describe_interval

        for value, name in RATINGS:
            button = self.query_one(f"#rate-{value}", Button)
            button.disabled = not self.revealed
            shown = f"  {describe_interval(previews[value])}" if self.revealed else ""
            button.label = f"{value} {name}{shown}"
        (self.query_one("#rate-3") if self.revealed else reveal).focus()
        self.refresh_bindings()

    def _show_message(self, text: str) -> None:
        self.query_one("#review-status", Static).update("")
        self.query_one(CardView).clear(text)
        self.query_one("#reveal").display = False
        self.query_one("#ratings").display = False
        self.query_one("#review-summary").display = False

    def _show_summary(self) -> None:
        total = sum(self.tally.values())
        per = "  ".join(f"{name} [b]{self.tally[value]}[/b]" for value, name in RATINGS)
        retention = (f"{(total - self.tally[1]) / total:.0%} recalled (not Again)" if total else "no answers")
        scope = markup_line(self.session.filters.describe()) if self.session else ""
        text = (f"[b]Nothing more to review now[/b] ({scope}).\n\n"
                f"This session: [b]{total}[/b] card(s) reviewed.  {per}\n"
                f"Retention this session: {retention}.\n\n"
                "[b]u[/b] takes back the last answer · [b]g[/b] checks again (learning cards come back within minutes)"
                + (" · [b]f[/b] all cards" if self.lesson_filter else "") + " · [b]t[/b] statistics")
        self.query_one("#review-status", Static).update("")
        self.query_one(CardView).display = False
        self.query_one("#reveal").display = False
        self.query_one("#ratings").display = False
        summary = self.query_one("#review-summary", Static)
        summary.update(text)
        summary.display = True
        self.refresh_bindings()

    # -- actions ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key from the footer (it means nothing now); None would show it dimmed.
        on_card = self.session is not None and self.session.current is not None
        if action == "reveal":
            return on_card and not self.revealed
        if action == "rate":
            return on_card and self.revealed
        if action in ("suspend", "bury"):
            return on_card
        if action == "clear_filter":
            return bool(self.lesson_filter)
        if action == "again_session":
            return self.session is not None and self.session.current is None
        return True

    def action_reveal(self) -> None:
        if self.session is None or self.session.current is None:
            return
        self.revealed = True
        self.show_current()

    def action_rate(self, value: int) -> None:
        if self.session is None or self.session.current is None:
            return
        if not self.revealed:
            self.notify("Show the answer first (space), then rate how well you recalled it.")
            return
        session = self.session
        outcome = self._guard(lambda: session.answer(value))
        if outcome is False:
            if session.current is None:  # answered in another window meanwhile: move on
                self.revealed = False
                self.show_current()
            return
        self.tally[value] += 1
        self._steps.append(value)
        if outcome.became_leech:
            self.notify(f"'{outcome.card_id}' has been forgotten {outcome.after.lapses} times: it is now a leech, "
                        "tagged and suspended. Rewrite it, or unsuspend it to keep trying.",
                        title="Leech", severity="warning", timeout=12)
        self.revealed = False
        self.show_current()

    def action_undo(self) -> None:
        if self.session is None:
            return
        result = self._guard(self.session.undo)
        if result is False:
            return
        if result is None:
            self.notify("Nothing to undo.")
            return
        if self._steps:
            rating = self._steps.pop()
            if rating is not None:
                self.tally[rating] -= 1
        self.notify(f"Undone: {result.action} of {result.card_id}.")
        self.revealed = False
        self.show_current()

    def action_suspend(self) -> None:
        self._skip("suspend", "Suspended {card} (u takes it back).")

    def action_bury(self) -> None:
        self._skip("bury", "Buried {card} until tomorrow (u takes it back).")

    def _skip(self, how: str, note: str) -> None:
        if self.session is None or self.session.current is None:
            return
        card_id = self.session.current.card_id
        if self._guard(getattr(self.session, how)) is False:  # suspend/bury return None when done
            return
        self._steps.append(None)
        self.notify(note.format(card=card_id))
        self.revealed = False
        self.show_current()

    def action_clear_filter(self) -> None:
        self.set_lesson_filter(None)

    def action_again_session(self) -> None:
        if self.session is not None:
            self.session.current = None
            self.show_current()

    def _guard(self, step):
        """Run a store step; a damaged or locked database becomes a notification, not a crash."""
        from ztlab.srs import ChangedElsewhere, StoreError

        try:
            result = step()
        except ChangedElsewhere as exc:
            self.notify(f"{exc} Here is the next card.", title="Answered elsewhere", severity="warning", timeout=12)
            return False
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=20)
            return False
        return result

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "reveal":
            self.action_reveal()
        elif event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))
