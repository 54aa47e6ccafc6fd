"""Read untrusted JSON (snapshots, backups, workshop bundles, policy files) with bounded shape.

`json.loads` alone answers hostile files with tracebacks: 100k nested brackets raise RecursionError,
a 5000-digit number ValueError, and `1e400` quietly becomes infinity that later breaks arithmetic.
Here each becomes a JSONInputError naming the file, line and column, and what would work instead.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ztlab.untrusted.files import FileRefused, MiB, read_text_capped

MAX_JSON_BYTES = 64 * MiB  # a 20,000-role account snapshot is about 25 MB
MAX_JSON_DEPTH = 100  # our files nest about 10 levels; policy documents inside them a few more
MAX_NUMBER_DIGITS = 30  # larger than any epoch, count or score we store


class JSONInputError(ValueError):
    """Untrusted JSON that cannot be used: `where` (file:line:column or file) and `problem`."""

    def __init__(self, where: str, problem: str):
        self.where, self.problem = where, problem
        super().__init__(f"{where}: {problem}")


class _BadNumber(Exception):
    def __init__(self, text: str, why: str):
        self.text, self.why = text, why


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(text, f"a {len(text.lstrip('-'))}-digit number (at most {MAX_NUMBER_DIGITS} digits)")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise _BadNumber(text, f"a number written with {len(text)} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text, f"the number {text}, too large to be a finite number")
    return value


def _constant(text: str) -> Any:
    raise _BadNumber(text, f"{text}, which is not a JSON number")


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _deepest(text: str) -> int:
    """Where nesting first passes MAX_DEPTH (index into text), or -1; only run when parsing failed."""
    depth, in_string, escaped = 0, False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
    return -1


def _depth_ok(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return True


def loads_untrusted(text: str, source: str) -> Any:
    """Parse JSON text; JSONInputError located in `source` for anything a hostile file can hold."""
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JSONInputError(f"{source}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}") from None
    except _BadNumber as exc:
        line, col = _position(text, max(text.find(exc.text), 0))
        raise JSONInputError(f"{source}:{line}:{col}", f"holds {exc.why}") from None
    except RecursionError:
        line, col = _position(text, max(_deepest(text), 0))
        raise JSONInputError(f"{source}:{line}:{col}", f"nests deeper than {MAX_JSON_DEPTH} levels") from None
    if not _depth_ok(value):
        index = _deepest(text)
        where = f"{source}:{':'.join(map(str, _position(text, index)))}" if index >= 0 else source
        raise JSONInputError(where, f"nests deeper than {MAX_JSON_DEPTH} levels")
    return value


def load_untrusted(path: Path | str, *, limit: int = MAX_JSON_BYTES) -> Any:
    """Read and parse a JSON file: a regular UTF-8 file of at most `limit` bytes, bounded in shape."""
    try:
        text = read_text_capped(path, limit)
    except FileRefused as exc:
        raise JSONInputError(str(exc.path), exc.reason) from None
    return loads_untrusted(text, str(path))
