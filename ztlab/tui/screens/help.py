"""Help: every key of the screen it was opened over, read from the live bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from ztlab.tui.inert import markup_title
from ztlab.tui.keymap import HELP_BINDINGS


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, what it does, binding id) for each binding active on `screen`, keys of one binding joined."""
    app = screen.app
    grouped: dict[tuple, list] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        ident = (active.node.__class__.__name__, binding.action, binding.id)
        entry = grouped.setdefault(ident, [[], binding, active.enabled])
        entry[0].append(app.get_key_display(binding))
    rows = []
    for (_owner, action, binding_id), (keys, binding, enabled) in grouped.items():
        what = binding.description or binding.tooltip or action.replace("_", " ")
        if not enabled:
            what += " (not available now)"
        rows.append((" / ".join(dict.fromkeys(keys)), what, binding_id or ""))
    # ztlab's own bindings (they have ids) first, then the generic keys of the focused widget.
    return sorted(rows, key=lambda row: not row[2])


class HelpScreen(ModalScreen[None]):
    BINDINGS = HELP_BINDINGS

    def __init__(self, over: Screen) -> None:
        super().__init__()
        self.rows = binding_rows(over)
        self.over_title = markup_title(over.sub_title or over.__class__.__name__)  # a lesson's title

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(f"[b]Keys on {self.over_title}[/b]", id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static("Remap any key by its id under [b]keymap:[/b] in the settings file.  "
                         "[b]esc[/b] closes.", id="help-note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Keys", "Does", "Binding id")
        table.add_rows(self.rows)
        table.focus()

    def action_dismiss(self) -> None:
        self.dismiss()
