"""Every key binding of the app, each with an id so users can remap it.

Remap in the settings file, e.g. `keymap: {"reader.next": "right,n", "go.lessons": "L"}`; the app
applies it with Textual's `App.set_keymap`. Keys are single letters per screen (no ctrl+letter
combinations that tmux or the shell would eat); ctrl+q (quit) and ctrl+p (command palette) are
Textual's own.

One grammar on every screen: Escape goes back (closes a dialog, leaves a lesson or lab, from a
section's first screen to Home), q and ctrl+q quit, and the section letters (h l r a t w s) mean
the same everywhere. A screen's own keys never reuse a section letter, and an action that throws
work away (reset, replacing a lab, the instructor's solution) asks first in a dialog that names
what is lost.

A new screen adds its own `<SCREEN>_BINDINGS` list here and to `ALL_BINDINGS`.
"""

from __future__ import annotations

from textual.binding import Binding

from ztlab.tui.screens import SECTIONS

APP_BINDINGS: list[Binding] = [
    *(Binding(s.key, f"app.switch_mode('{s.mode}')", s.title, id=s.binding_id, tooltip=s.help) for s in SECTIONS),
    Binding("question_mark,f1", "app.help", "Help", id="app.help", key_display="?"),
    Binding("escape", "app.back", "Back", id="app.back", key_display="esc", show=False),
    Binding("q", "app.quit", "Quit", id="app.quit"),
]

HOME_BINDINGS: list[Binding] = [
    Binding("enter", "open_next", "Next step", id="home.open_next", show=False),
]

LESSONS_BINDINGS: list[Binding] = [
    Binding("j", "cursor_down", "Down", id="lessons.down", show=False),
    Binding("k", "cursor_up", "Up", id="lessons.up", show=False),
]

READER_BINDINGS: list[Binding] = [
    Binding("n", "next_lesson", "Next lesson", id="reader.next"),
    Binding("p", "previous_lesson", "Previous", id="reader.previous"),
    Binding("d", "toggle_done", "Mark done", id="reader.done"),
    Binding("v", "review_cards", "Review its cards", id="reader.review"),
    Binding("escape", "app.back", "Back", id="reader.back", key_display="esc"),
]

SETTINGS_BINDINGS: list[Binding] = [
    Binding("escape", "leave_field", "Leave field / back", id="settings.leave_field", show=False),
]

HELP_BINDINGS: list[Binding] = [
    Binding("escape,question_mark,f1", "dismiss", "Close", id="help.close", key_display="esc"),
]

PROBLEMS_BINDINGS: list[Binding] = [
    Binding("r", "app.reload_content", "Reload", id="problems.reload"),
    Binding("q", "app.quit", "Quit", id="problems.quit"),
]

REVIEW_BINDINGS: list[Binding] = [
    Binding("space", "reveal", "Show answer", id="review.reveal", key_display="space"),
    Binding("1", "rate(1)", "Again", id="review.again", show=False),
    Binding("2", "rate(2)", "Hard", id="review.hard", show=False),
    Binding("3", "rate(3)", "Good", id="review.good", show=False),
    Binding("4", "rate(4)", "Easy", id="review.easy", show=False),
    Binding("u", "undo", "Undo", id="review.undo"),
    Binding("x", "suspend", "Suspend", id="review.suspend"),
    Binding("b", "bury", "Bury", id="review.bury"),
    Binding("f", "clear_filter", "All cards", id="review.all_cards"),
    Binding("g", "again_session", "Check again", id="review.again_session", show=False),
]

STATS_BINDINGS: list[Binding] = [
    Binding("g", "refresh_stats", "Refresh", id="stats.refresh"),
]

LABS_BINDINGS: list[Binding] = [
    Binding("j", "cursor_down", "Down", id="labs.down", show=False),
    Binding("k", "cursor_up", "Up", id="labs.up", show=False),
]

LAB_BINDINGS: list[Binding] = [
    Binding("g", "start", "Start", id="lab.start"),
    Binding("c", "check", "Check", id="lab.check"),
    Binding("i", "hint", "Hint", id="lab.hint"),
    Binding("y", "copy_exports", "Copy exports", id="lab.copy_exports"),
    Binding("e", "toggle_access", "Who can…", id="lab.access"),
    Binding("b", "toggle_pane", "Briefing/progress", id="lab.toggle_pane"),
    Binding("R", "reset", "Reset…", id="lab.reset", key_display="R"),
    Binding("S", "solve", "Solve (instructor)…", id="lab.solve", key_display="S"),
    Binding("escape", "cancel_or_back", "Cancel / back", id="lab.cancel", key_display="esc"),
]

CONFIRM_BINDINGS: list[Binding] = [
    Binding("escape", "keep", "Keep (cancel)", id="confirm.keep", key_display="esc"),
]

INSTRUCTOR_BINDINGS: list[Binding] = [
    Binding("g", "refresh_report", "Refresh", id="instructor.refresh"),
    Binding("escape", "leave_field", "Leave field / back", id="instructor.leave_field", show=False),
]

ALL_BINDINGS: list[Binding] = [
    *APP_BINDINGS, *HOME_BINDINGS, *LESSONS_BINDINGS, *READER_BINDINGS,
    *SETTINGS_BINDINGS, *HELP_BINDINGS, *PROBLEMS_BINDINGS,
    *REVIEW_BINDINGS, *STATS_BINDINGS, *LABS_BINDINGS, *LAB_BINDINGS, *CONFIRM_BINDINGS, *INSTRUCTOR_BINDINGS,
]


def binding_ids() -> set[str]:
    return {b.id for b in ALL_BINDINGS if b.id}


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """Ids in a user keymap that no binding has (typos the user should hear about)."""
    known = binding_ids()
    return sorted(k for k in keymap if k not in known)


_KEY_NAMES = {"question_mark": "?", "escape": "esc", "space": "space", "enter": "enter", "f1": "f1"}


def keys_table() -> str:
    """README's keys table (a test keeps README equal to this): every binding, its keys, its id."""
    lines = ["| Screen | Keys | Does | Binding id |", "|---|---|---|---|"]
    for binding in ALL_BINDINGS:
        screen = binding.id.split(".")[0]
        screen = {"go": "everywhere", "app": "everywhere"}.get(screen, screen)
        keys = ", ".join(f"`{_KEY_NAMES.get(key, key)}`" for key in binding.key.split(","))
        lines.append(f"| {screen} | {keys} | {binding.description or binding.action} | `{binding.id}` |")
    return "\n".join(lines)
