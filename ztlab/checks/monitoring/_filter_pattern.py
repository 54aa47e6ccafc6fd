"""CloudWatch Logs filter patterns, parsed as the grammar they are and run against sample events.

Reading a pattern as substrings cannot tell `A || B` from `A && B` (the first counts both kinds of
event, the second counts none, since one event has one errorCode). So a metric filter is judged by
what it matches: the check hands it sample CloudTrail events and asks which ones it counts.

Supported, as the CloudWatch Logs User Guide ("Filter pattern syntax") describes them:
- JSON patterns `{ $.a.b = "x*" && ($.c != 1 || $.d NOT EXISTS) }` with `=`, `!=`, `<`, `<=`, `>`,
  `>=`, `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`, `*` wildcards in string values, `&&`, `||`
  and parentheses (`&&` binds tighter, as in the documented examples).
- Term patterns `ERROR ?WARN -DEBUG "exact phrase"` matched against the raw event text.
A pattern outside this grammar raises FilterPatternError, so the caller can say so instead of guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

Event = dict[str, Any]
Matcher = Callable[[Event], bool]


class FilterPatternError(ValueError):
    pass


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)) |
      (?P<string>"(?:[^"\\]|\\.)*") |
      (?P<selector>\$(?:\.[A-Za-z0-9_\-@]+|\[\d+\])*) |
      (?P<word>[^\s()&|=!<>"]+)
    )""", re.VERBOSE)


@dataclass
class _Token:
    kind: str
    text: str


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FilterPatternError(f"unexpected text at position {pos}: {text[pos:pos + 20]!r}")
        kind = m.lastgroup or ""
        out.append(_Token(kind, m.group(kind)))
        pos = m.end()
    return out


def compile_pattern(pattern: str) -> Matcher:
    """A function event -> bool that says whether the filter pattern counts the event."""
    text = (pattern or "").strip()
    if not text:
        return lambda event: True  # an empty pattern matches every event
    if text.startswith("{"):
        if not text.endswith("}"):
            raise FilterPatternError("a JSON pattern must end with '}'")
        parser = _Parser(_tokens(text[1:-1]))
        matcher = parser.expression()
        if parser.pos != len(parser.tokens):
            raise FilterPatternError(f"unexpected {parser.tokens[parser.pos].text!r} after a complete expression")
        return matcher
    return _term_matcher(text)


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.pos = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> _Token:
        token = self._peek()
        if token is None:
            raise FilterPatternError("the pattern ends in the middle of an expression")
        self.pos += 1
        return token

    def expression(self) -> Matcher:
        terms = [self._conjunction()]
        while (t := self._peek()) and t.text == "||":
            self.pos += 1
            terms.append(self._conjunction())
        return terms[0] if len(terms) == 1 else (lambda e, ts=tuple(terms): any(t(e) for t in ts))

    def _conjunction(self) -> Matcher:
        terms = [self._primary()]
        while (t := self._peek()) and t.text == "&&":
            self.pos += 1
            terms.append(self._primary())
        return terms[0] if len(terms) == 1 else (lambda e, ts=tuple(terms): all(t(e) for t in ts))

    def _primary(self) -> Matcher:
        token = self._take()
        if token.text == "(":
            inner = self.expression()
            if self._take().text != ")":
                raise FilterPatternError("a '(' is not closed")
            return inner
        if token.kind != "selector":
            raise FilterPatternError(f"expected a selector such as $.errorCode, found {token.text!r}")
        path = re.findall(r"\.([A-Za-z0-9_\-@]+)|\[(\d+)\]", token.text)
        keys: list[str | int] = [name if name else int(index) for name, index in path]
        op = self._take()
        if op.kind == "word" and op.text.upper() in ("IS", "NOT"):
            second = self._take().text.upper()
            test = {("IS", "NULL"): lambda found, v: found and v is None,
                    ("NOT", "EXISTS"): lambda found, v: not found,
                    ("IS", "TRUE"): lambda found, v: found and v is True,
                    ("IS", "FALSE"): lambda found, v: found and v is False}.get((op.text.upper(), second))
            if test is None:
                raise FilterPatternError(f"unknown test '{op.text} {second}'")
            return lambda e, k=tuple(keys), t=test: t(*_lookup(e, k))
        if op.kind != "op" or op.text not in ("=", "!=", "<", "<=", ">", ">="):
            raise FilterPatternError(f"expected a comparison after {token.text}, found {op.text!r}")
        value = self._take()
        if value.kind not in ("string", "word"):
            raise FilterPatternError(f"expected a value after {token.text} {op.text}, found {value.text!r}")
        raw = json.loads(value.text) if value.kind == "string" else value.text
        return _comparison(tuple(keys), op.text, raw, quoted=value.kind == "string")


def _lookup(event: Event, keys: tuple) -> tuple[bool, Any]:
    node: Any = event
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return False, None
            node = node[key]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return False, None
    return True, node


def _wildcard(value: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in value.split("*")), re.DOTALL)


def _comparison(keys: tuple, op: str, raw: str, quoted: bool) -> Matcher:
    if op in ("=", "!=") and (quoted or not _is_number(raw)):
        rx = _wildcard(raw)

        def equal(event: Event) -> bool:
            found, value = _lookup(event, keys)
            if not found or isinstance(value, (dict, list)):
                # A missing field matches neither "=" nor "!=": the selector must exist to be compared.
                return False
            text = json.dumps(value) if isinstance(value, bool) or value is None else str(value)
            return bool(rx.fullmatch(text)) == (op == "=")
        return equal
    number = float(raw)
    compare = {"=": float.__eq__, "!=": float.__ne__, "<": float.__lt__, "<=": float.__le__,
               ">": float.__gt__, ">=": float.__ge__}[op]

    def numeric(event: Event) -> bool:
        found, value = _lookup(event, keys)
        if not found or isinstance(value, bool) or not _is_number(str(value)):
            return False
        return compare(float(value), number)
    return numeric


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _term_matcher(text: str) -> Matcher:
    """Unstructured terms: plain terms must all appear, `?` terms are alternatives, `-` terms excluded."""
    parts = re.findall(r'[?-]?"(?:[^"\\]|\\.)*"|\S+', text)
    required, optional, excluded = [], [], []
    for part in parts:
        sign = part[0] if part[0] in "?-" else ""
        body = part[len(sign):]
        if body.startswith('"'):
            body = json.loads(body)
        {"?": optional, "-": excluded, "": required}[sign].append(body)

    def match(event: Event) -> bool:
        line = json.dumps(event)
        if any(term in line for term in excluded):
            return False
        if optional and not any(term in line for term in optional):
            return False
        return all(term in line for term in required)
    return match
