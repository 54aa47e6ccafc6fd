"""One line of the Settings form: a label, the control, a hint and room for an inline error."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class SettingRow(Vertical):
    def __init__(self, name: str, label: str, hint: str, control: Widget) -> None:
        super().__init__(id=f"row-{name}", classes="setting-row")
        self.setting_name = name
        self._label = label
        self._hint = hint
        self._control = control

    def compose(self) -> ComposeResult:
        with Horizontal(classes="setting-line"):
            yield Label(self._label, classes="setting-label")
            yield self._control
            yield Static(self._hint, classes="setting-hint")
        yield Static("", classes="setting-error", id=f"error-{self.setting_name}")

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".setting-error", Static)
        error.update(f"✗ {message} — not saved" if message else "")
        error.display = bool(message)
        self.set_class(bool(message), "-invalid")
