"""The one pattern every screen follows.

A `ZtlabScreen` has the header, its body (`compose_body`) and the footer, and gets
`refresh_content()` called on mount and whenever the course, the settings or the lesson progress
change. Screens read state from `self.ztlab` (the app) and ask for things by posting messages
from `ztlab.tui.messages`; they hold no business logic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header

from ztlab.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from ztlab.tui.app import ZtlabApp


class ZtlabScreen(Screen):
    SECTION_TITLE: ClassVar[str] = ""

    @property
    def ztlab(self) -> "ZtlabApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.SECTION_TITLE:
            self.sub_title = self.SECTION_TITLE
        for name in ("course", "settings", "progress_version"):
            self.watch(self.app, name, self._state_changed, init=False)
        self.refresh_content()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Another section (or process) may have changed what this screen shows while it was hidden.
        if self.is_mounted and self._refresh_on_resume:
            self.refresh_content()
        self._refresh_on_resume = True

    _refresh_on_resume: bool = False  # the first resume follows on_mount, which has just refreshed

    def _state_changed(self, _value: object) -> None:
        self.refresh_content()

    def refresh_content(self) -> None:
        """Show the current course / settings / progress. Override; keep it cheap."""
