"""One flashcard: the question (with its snippet highlighted by language) and, once revealed, the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.markdown import Markdown
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ztlab.tui.inert import markdown

if TYPE_CHECKING:
    from ztlab.content.models.card import Card

# Pygments lexer names for the snippet languages cards may use.
_LEXERS = {"json": "json", "yaml": "yaml", "hcl": "terraform", "python": "python", "bash": "bash", "sql": "sql", "text": "text"}


def snippet_view(language: str, code: str) -> Syntax:
    return Syntax(markdown(code).rstrip("\n"), _LEXERS.get(language, "text"), theme="ansi_dark",
                  background_color="default", word_wrap=True, line_numbers=True)


def card_markdown(text: str, style: str = "none") -> Markdown:
    """Cards are written in Markdown (`code`, *emphasis*, lists): render it, never show the marks."""
    return Markdown(markdown(text).strip(), style=style, code_theme="ansi_dark", inline_code_lexer=None)


class CardView(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(id="card-front")
        yield Static(id="card-snippet")
        yield Static(id="card-back")

    def show(self, card: Card, *, revealed: bool, where: str) -> None:
        self.border_title = "Spot the flaw" if card.kind == "spot-the-flaw" else "Question"
        self.border_subtitle = where
        self.query_one("#card-front", Static).update(card_markdown(card.front, style="bold"))
        snippet = self.query_one("#card-snippet", Static)
        snippet.display = card.snippet is not None
        if card.snippet is not None:
            snippet.update(snippet_view(card.snippet.language, card.snippet.code))
        back = self.query_one("#card-back", Static)
        back.display = revealed
        if revealed:
            parts = [Text.from_markup("[b]Answer[/b]"), card_markdown(card.back)]
            if card.explanation:
                parts += [Text(""), Text.from_markup("[b]Why[/b]"), card_markdown(card.explanation)]
            back.update(Group(*parts))
        self.scroll_home(animate=False)

    def clear(self, message: str) -> None:
        self.border_title = ""
        self.border_subtitle = ""
        self.query_one("#card-front", Static).update(message)  # markup: callers escape what they quote
        self.query_one("#card-snippet", Static).display = False
        self.query_one("#card-back", Static).display = False
