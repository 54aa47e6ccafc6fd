"""Markdown for lessons and lab briefings, with code blocks that never hide text silently.

Textual's fence clips a long line at the edge with no scrollbar and no key to reach the rest
(`"Action": "s3` looked complete). Here a code block wider than the reading column shows its
horizontal scrollbar (the visible mark) and a tooltip saying how to scroll; Tab focuses it and
Left/Right/Home/End scroll it, as the mouse wheel does.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence

CODE_BINDINGS = [
    Binding("right", "scroll_right", "Scroll right", show=False),
    Binding("left", "scroll_left", "Scroll left", show=False),
    Binding("home", "scroll_home", "Start of line", show=False),
    Binding("end", "scroll_end", "End of line", show=False),
]


class CodeBlock(MarkdownFence):
    DEFAULT_CSS = """
    CodeBlock {
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
    }
    CodeBlock:focus { background-tint: $foreground 8%; }
    """
    can_focus = True
    BINDINGS = CODE_BINDINGS

    @property
    def too_wide(self) -> bool:
        return self.virtual_size.width > self.scrollable_content_region.width

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark)

    def on_mount(self) -> None:
        self.call_after_refresh(self._mark)

    def _mark(self) -> None:
        # A horizontal scrollbar alone is easy to miss on a dark theme: say it in words too.
        self.tooltip = "Wider than the column: Tab here, then ←/→ (or the mouse wheel) scroll it." if self.too_wide else None

    def action_scroll_home(self) -> None:
        self.scroll_to(x=0, animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)


class CourseMarkdown(Markdown):
    BLOCKS = {**Markdown.BLOCKS, "fence": CodeBlock, "code_block": CodeBlock}
