"""Every key binding of the app, each with an id so users can remap it.

Remap in the settings file, e.g. `keymap: {"reader.next": "right,n", "go.lessons": "L"}`; the app
applies it with Textual's `App.set_keymap`. Keys are single letters per screen (no ctrl+letter
combinations that tmux or the shell would eat); ctrl+q (quit) and ctrl+p (command palette) are
Textual's own.

A new screen adds its own `<SCREEN>_BINDINGS` list here and to `ALL_BINDINGS`.
"""

from __future__ import annotations

from textual.binding import Binding

from ztlab.tui.screens import SECTIONS

APP_BINDINGS: list[Binding] = [
    *(Binding(s.key, f"app.switch_mode('{s.mode}')", s.title, id=s.binding_id, tooltip=s.help) for s in SECTIONS),
    Binding("question_mark,f1", "app.help", "Help", id="app.help", key_display="?"),
    Binding("q", "app.back_or_quit", "Quit", id="app.quit"),
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
    Binding("q,escape", "app.back_or_quit", "Back", id="reader.back", key_display="q"),
]

SETTINGS_BINDINGS: list[Binding] = [
    Binding("escape", "blur", "Leave field", id="settings.leave_field", show=False),
]

HELP_BINDINGS: list[Binding] = [
    Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", key_display="esc"),
]

PROBLEMS_BINDINGS: list[Binding] = [
    Binding("r", "app.reload_content", "Reload", id="problems.reload"),
    Binding("q", "app.quit", "Quit", id="problems.quit"),
]

ALL_BINDINGS: list[Binding] = [
    *APP_BINDINGS, *HOME_BINDINGS, *LESSONS_BINDINGS, *READER_BINDINGS,
    *SETTINGS_BINDINGS, *HELP_BINDINGS, *PROBLEMS_BINDINGS,
]


def binding_ids() -> set[str]:
    return {b.id for b in ALL_BINDINGS if b.id}


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """Ids in a user keymap that no binding has (typos the user should hear about)."""
    known = binding_ids()
    return sorted(k for k in keymap if k not in known)
