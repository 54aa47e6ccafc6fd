"""A yes/no dialog for actions that throw work away; it names what is lost.

Focus starts on the button that keeps everything, so Enter pressed out of habit loses nothing;
Escape keeps too. The screen is dismissed with True only from the button that names the loss.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ztlab.tui.keymap import CONFIRM_BINDINGS


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = CONFIRM_BINDINGS

    def __init__(self, title: str, lost: str, confirm: str, keep: str = "Keep it") -> None:
        super().__init__()
        self.title_text = title
        self.lost = lost
        self.confirm_label = confirm
        self.keep_label = keep

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(f"[b]{self.title_text}[/b]", id="confirm-title")
            yield Static(self.lost, id="confirm-lost")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.keep_label}  [b]esc[/b]", id="confirm-keep", variant="primary", compact=True)
                yield Button(self.confirm_label, id="confirm-yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-keep").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_keep(self) -> None:
        self.dismiss(False)
