"""Settings: every change is validated and saved at once; bad input is explained inline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Select, Static

from ztlab.locations import locations
from ztlab.tui.inert import markup_block
from ztlab.tui.keymap import SETTINGS_BINDINGS
from ztlab.tui.screens.base import ZtlabScreen
from ztlab.tui.widgets.setting_row import SettingRow

BACKENDS = [("moto (built in, nothing to install)", "moto"), ("LocalStack (runs separately)", "localstack")]
NUMBER_FIELDS = {
    "desired_retention": ("Desired retention", "0.70–0.99; higher means more reviews", "number"),
    "new_cards_per_day": ("New cards per day", "0–9999", "integer"),
    "reviews_per_day": ("Reviews per day", "0–99999", "integer"),
}


class SettingsScreen(ZtlabScreen):
    SECTION_TITLE = "Settings"
    BINDINGS = SETTINGS_BINDINGS

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="settings"):
            yield Static("Changes are checked and saved as you type.  [b]tab[/b] next field · "
                         "[b]esc[/b] leave the field (then h, l, s, q work again)", id="settings-intro")
            yield Static("", id="settings-problem")
            yield Button("Start over with defaults (keeps the broken file)", id="reset-settings", variant="warning")
            yield Static("Spaced repetition", classes="settings-heading")
            for name, (label, hint, kind) in NUMBER_FIELDS.items():
                yield SettingRow(name, label, hint, Input(id=f"input-{name}", type=kind, compact=True))
            yield Static("Labs", classes="settings-heading")
            yield SettingRow("backend", "Back end", "where lab accounts are emulated",
                             Select(BACKENDS, id="input-backend", allow_blank=False, compact=True))
            yield SettingRow("localstack_endpoint", "LocalStack endpoint", "blank: LocalStack's default",
                             Input(id="input-localstack_endpoint", placeholder="http://127.0.0.1:4566", compact=True))
            yield Static("Appearance", classes="settings-heading")
            yield SettingRow("theme", "Theme", "applied at once; also ctrl+p → theme",
                             Select([(t, t) for t in sorted(self.app.available_themes)], id="input-theme",
                                    allow_blank=False, compact=True))
            yield Static(
                "Keys can be remapped under [b]keymap:[/b] in the settings file "
                "(binding ids are listed by [b]?[/b] on each screen).",
                id="settings-keymap-note",
            )
            yield Static("", id="settings-status")

    def refresh_content(self) -> None:
        app = self.ztlab
        settings = app.settings
        problem = self.query_one("#settings-problem", Static)
        problem.update(f"[b]The settings file has a problem[/b]\n{markup_block(app.settings_problem)}\n"
                       "Changes here are not saved until it is fixed." if app.settings_problem else "")
        problem.display = bool(app.settings_problem)
        self.query_one("#reset-settings").display = bool(app.settings_problem)
        for row in self.query(SettingRow):
            row.disabled = settings is None or bool(app.settings_problem)
        if settings is None:
            return
        with self.prevent(Input.Changed, Select.Changed):
            for name in NUMBER_FIELDS:
                field = self.query_one(f"#input-{name}", Input)
                if not self.query_one(f"#row-{name}", SettingRow).has_class("-invalid"):
                    field.value = str(getattr(settings, name))
            endpoint = self.query_one("#input-localstack_endpoint", Input)
            endpoint.value = settings.localstack_endpoint or ""
            self.query_one("#input-backend", Select).value = settings.backend
            self.query_one("#input-theme", Select).value = settings.theme
        self.query_one("#row-localstack_endpoint").disabled = settings.backend != "localstack" or bool(app.settings_problem)

    def _change(self, name: str, value: object) -> None:
        from ztlab.tui.settings_form import InvalidSetting

        row = self.query_one(f"#row-{name}", SettingRow)
        status = self.query_one("#settings-status", Static)
        before = self.ztlab.settings
        try:
            after = self.ztlab.change_setting(name, value)
        except InvalidSetting as exc:
            row.show_error(str(exc))
            status.update("")
            return
        row.show_error(None)
        if after != before:
            status.update(f"Saved to {locations().config_file}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._change(event.input.id.removeprefix("input-"), event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.focus_next()

    def on_select_changed(self, event: Select.Changed) -> None:
        # Read the Select itself, not the event: a Select announces its first value when mounted,
        # before refresh_content has set the real one.
        value = event.select.value
        if value is not Select.NULL and self.ztlab.settings is not None:
            name = event.select.id.removeprefix("input-")
            if getattr(self.ztlab.settings, name) != value:
                self._change(name, value)
            if name == "backend":
                self.query_one("#row-localstack_endpoint").disabled = value != "localstack"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reset-settings":
            kept = self.ztlab.reset_broken_settings()
            self.notify(f"Defaults saved; the old file is kept as {kept}.", title="Settings")

    def action_leave_field(self) -> None:
        """Escape leaves a field (so the section letters work again); with none focused, goes back."""
        if isinstance(self.focused, (Input, Select)) or (self.focused and isinstance(self.focused.parent, Select)):
            self.set_focus(None)
        else:
            self.ztlab.action_back()
