"""Untrusted text made inert before it reaches a widget: pack content (titles, lesson, card and lab
text), learner names from bundles, grade-script output, sandbox and store error messages.

Two things go wrong when such text reaches a widget as it is. Textual writes a segment's characters
to the terminal unchanged, so `ESC[2J` clears the screen, OSC 52 writes the clipboard, OSC 8 plants
a hyperlink and U+202E reverses what follows: ztlab.untrusted.text shows each as a visible escape.
And a string handed to something that parses markup (a Static's or Label's string, a DataTable's
str cell, a Rich table cell, the palette's highlight) lets `[bold red]` restyle the screen,
`[@click=app.quit]` add an action and `[/x]` raise: rich.markup.escape keeps the brackets literal.
A rich Text is never parsed, so `text_*` need only the first.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from ztlab.untrusted.text import safe_block, safe_line, safe_title


def markup_line(text: object, limit: int | None = None) -> str:
    """One line of untrusted text to put inside a markup string."""
    return escape(safe_line(text, limit))


def markup_title(text: object) -> str:
    """A pack's title inside a markup string (cut like every title on one line)."""
    return escape(safe_title(text))


def markup_block(text: object) -> str:
    """Multi-line untrusted text (a summary, an error with its advice) inside a markup string."""
    return escape(safe_block(text))


def text_line(text: object, style: str = "", limit: int | None = None) -> Text:
    """One line of untrusted text as a Text (a DataTable cell, a panel line): never parsed as markup."""
    return Text(safe_line(text, limit), style=style)


def text_title(text: object, style: str = "") -> Text:
    return Text(safe_title(text), style=style)


def text_block(text: object, style: str = "") -> Text:
    return Text(safe_block(text), style=style)


def markdown(text: object) -> str:
    """A Markdown source from a pack (lesson, lab briefing, card): rendered as Markdown, as meant,
    with its control characters shown as escapes rather than sent to the terminal."""
    return safe_block(text)
