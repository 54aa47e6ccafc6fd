"""Terminal colour for reports, without a CLI toolkit: reporters render text, shells print it."""

from __future__ import annotations

import os
import sys
from typing import Any

# The ANSI SGR codes for the colour names the reports use (the same escapes click.style writes).
_FG = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36, "white": 37,
       "bright_black": 90, "bright_red": 91, "bright_green": 92, "bright_yellow": 93, "bright_blue": 94,
       "bright_magenta": 95, "bright_cyan": 96, "bright_white": 97}


def style(text: str, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    codes = ([f"\x1b[{_FG[fg]}m"] if fg else []) + (["\x1b[1m"] if bold else []) + (["\x1b[2m"] if dim else [])
    return "".join(codes) + text + "\x1b[0m" if codes else text


def colour_wanted(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())
