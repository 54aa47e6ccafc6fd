"""A small JSON reader that remembers where every value sits, so errors can name a line and
column as well as a JSON pointer. Python's json module only locates syntax errors."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, token: str | int) -> str:
    return f"{base}/{escape_pointer_token(token)}"


@dataclass
class Located:
    """The decoded value plus, for every JSON pointer, the (start, end) offsets of the value
    and the offset of the object key that introduced it."""

    value: object
    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_offsets: dict[str, int] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)

    def line_col(self, offset: int) -> tuple[int, int]:
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        if key and pointer in self.key_offsets:
            return self.line_col(self.key_offsets[pointer])
        span = self.spans.get(pointer)
        if span is None:
            return None
        return self.line_col(span[0])

    def end_position(self, pointer: str) -> tuple[int, int] | None:
        span = self.spans.get(pointer)
        return None if span is None else self.line_col(span[1])


class JSONSyntaxError(ValueError):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def load_located(text: str) -> Located:
    """Parse JSON text; raise JSONSyntaxError (with line/column) when it is not valid JSON."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JSONSyntaxError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:  # NaN / Infinity
        raise JSONSyntaxError(f"invalid JSON: {exc}", 1, 1) from None
    located = Located(value=None, text=text)
    value, end = _parse(text, _WS.match(text, 0).end(), "", located)
    located.value = value
    return located


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _parse(text: str, i: int, pointer: str, out: Located) -> tuple[object, int]:
    start = i
    ch = text[i]
    if ch == "{":
        obj: dict[str, object] = {}
        i = _WS.match(text, i + 1).end()
        if text[i] == "}":
            i += 1
        else:
            while True:
                key_start = i
                key, i = _scanstring(text, i + 1)
                i = _WS.match(text, i).end() + 1  # the colon
                i = _WS.match(text, i).end()
                child = join_pointer(pointer, key)
                if key in obj:
                    out.duplicates.append(child)
                out.key_offsets[child] = key_start
                obj[key], i = _parse(text, i, child, out)
                i = _WS.match(text, i).end()
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()
                    continue
                i += 1  # the closing brace
                break
        out.spans[pointer] = (start, i)
        return obj, i
    if ch == "[":
        items: list[object] = []
        i = _WS.match(text, i + 1).end()
        if text[i] == "]":
            i += 1
        else:
            while True:
                item, i = _parse(text, i, join_pointer(pointer, len(items)), out)
                items.append(item)
                i = _WS.match(text, i).end()
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()
                    continue
                i += 1
                break
        out.spans[pointer] = (start, i)
        return items, i
    if ch == '"':
        value, i = _scanstring(text, i + 1)
    elif text.startswith("true", i):
        value, i = True, i + 4
    elif text.startswith("false", i):
        value, i = False, i + 5
    elif text.startswith("null", i):
        value, i = None, i + 4
    else:
        m = _NUMBER.match(text, i)
        literal = m.group(0)
        value = float(literal) if (m.group(1) or m.group(2)) else int(literal)
        i = m.end()
    out.spans[pointer] = (start, i)
    return value, i


def sub_located(located: Located, pointer: str) -> Located:
    """Positions of the value at `pointer`, re-rooted so its own pointers start at ""."""
    n = len(pointer)
    spans = {k[n:]: v for k, v in located.spans.items() if k == pointer or k.startswith(pointer + "/")}
    keys = {k[n:]: v for k, v in located.key_offsets.items() if k.startswith(pointer + "/")}
    dups = [k[n:] for k in located.duplicates if k.startswith(pointer + "/")]
    sub = Located(value=None, text=located.text, spans=spans, key_offsets=keys, duplicates=dups)
    sub._line_starts = located._line_starts
    return sub
