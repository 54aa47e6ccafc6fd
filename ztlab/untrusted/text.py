"""Make untrusted text safe to print on a terminal: card text from packs, learner names from
bundles, grade-script output, names read from an account.

A terminal obeys what it prints: `ESC[2J` clears the instructor's screen, OSC sequences retitle the
window or write the clipboard, U+202E reverses what follows, and a newline inside a learner's name
forges a row in the class report. Every printer passes such text through `safe_line` (one line:
names, cells) or `safe_block` (multi-line output, newlines kept), which show each control
character as a visible escape (`\\x1b`, `\\u202e`) instead of obeying it.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 80  # learner and resource names in tables; longer ones are cut with an ellipsis
MAX_TITLE = 200  # lesson, lab and objective titles on one line: a pack's 10,000-character title is cut

# C0 and C1 controls, DEL, and the bidirectional and zero-width format characters that reorder or
# hide text (Unicode category Cf covers those and the BOM).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")
_UNSAFE_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_line(text: object, limit: int | None = None) -> str:
    """One line with every control and direction character made visible; cut to `limit` characters."""
    text = _UNSAFE.sub(_escape, str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def safe_name(text: object) -> str:
    """A name for a table cell or a heading: one line, at most MAX_NAME characters."""
    return safe_line(text, MAX_NAME)


def safe_title(text: object) -> str:
    """A pack's title for a heading, a list row or the palette: one line, at most MAX_TITLE characters."""
    return safe_line(text, MAX_TITLE)


def safe_block(text: object) -> str:
    """Multi-line text (script output, card backs): line breaks kept, every other control escaped."""
    return _UNSAFE_KEEP_LINES.sub(_escape, str(text).replace("\r\n", "\n"))


def is_safe(text: str) -> bool:
    return not _UNSAFE.search(text) and not any(unicodedata.category(c) == "Cs" for c in text)
