"""Textual's footer, rebuilt only when the keys it shows change.

Textual's `Footer` removes and re-mounts every key widget (each one restyled) whenever its screen
publishes "bindings updated", which happens several times per section switch, per focus change and
per `refresh_bindings()` call even when the footer would show exactly the same keys. That rebuild
was most of the CPU a section switch cost; this footer looks first and rebuilds only on a change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeysFooter(Footer):
    _shown: Any = None  # what the last compose showed; None before the bindings were ready

    def _keys(self) -> tuple:
        """Everything `Footer.compose` reads, so equal keys mean an identical footer."""
        app = self.app
        return (
            self.show_command_palette and app.ENABLE_COMMAND_PALETTE,
            tuple(
                (key, binding, app.get_key_display(binding), enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
