"""Wildcards and policy variables.

A policy string is split once into parts: text written in the policy (where `*` and `?` are
wildcards), literal text from the `${*}` / `${?}` / `${$}` escapes, and `${key, 'default'}`
variables. Variable values are literal: a `*` inside a user name is not a wildcard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ztlab.policy.wildcards import LIT, ONE, STAR, Matcher, Token, compile_text, compile_tokens

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


@dataclass(frozen=True, slots=True)
class Variable:
    key: str  # lower-cased context key name
    default: str | None
    text: str  # as written, for messages
    name: str  # the key as written


# A part is either ("glob", text), ("lit", text) or a Variable.
Part = tuple[str, str] | Variable


def split_variables(text: str, *, variables: bool) -> tuple[Part, ...]:
    """Split `text` into parts; with variables=False (policy Version 2008-10-17 or none)
    `${...}` is ordinary text, as AWS treats it."""
    if not variables or "${" not in text:
        return (("glob", text),)
    parts: list[Part] = []
    pos = 0
    for m in _VARIABLE.finditer(text):
        if m.start() > pos:
            parts.append(("glob", text[pos:m.start()]))
        inner = m.group(1)
        if inner in _ESCAPES:
            parts.append(("lit", _ESCAPES[inner]))
        else:
            d = _with_default(inner)
            if d:
                parts.append(Variable(d[0].lower(), d[1], m.group(0), d[0]))
            else:
                parts.append(Variable(inner.strip().lower(), None, m.group(0), inner.strip()))
        pos = m.end()
    if pos < len(text):
        parts.append(("glob", text[pos:]))
    return tuple(parts)


def _with_default(inner: str) -> tuple[str, str] | None:
    """`key, 'default'` as (key, default); split by hand, not by a backtracking regex."""
    key, comma, rest = inner.partition(",")
    key, rest = key.strip(), rest.strip()
    if not comma or not key or len(rest) < 2 or rest[0] != "'" or rest[-1] != "'" or "'" in rest[1:-1]:
        return None
    return key, rest[1:-1]


def has_variables(parts: tuple[Part, ...]) -> bool:
    return any(isinstance(p, Variable) for p in parts)


class UnresolvedVariable(Exception):
    """A policy variable with no value in the request and no default: IAM User Guide, "Policy
    variables": any attempt to match it fails and makes the entire statement invalid."""


def resolve(parts: tuple[Part, ...], context: dict[str, list[str]],
            missing: list[str] | None = None) -> tuple[tuple[str, str], ...] | None:
    """Substitute variables from the context. None when a variable has no value and no
    default: AWS then treats the element as not matching."""
    out: list[tuple[str, str]] = []
    for part in parts:
        if isinstance(part, Variable):
            values = context.get(part.key)
            if values is not None and len(values) == 1:
                out.append(("lit", values[0]))
            elif part.default is not None:
                out.append(("lit", part.default))
            else:
                if missing is not None:
                    missing.append(part.name)
                return None
        else:
            out.append(part)
    return tuple(out)


def plain_text(parts: tuple[tuple[str, str], ...]) -> str:
    """The string after substitution, for exact (non-wildcard) comparisons."""
    return "".join(text for _, text in parts)


def glob_matcher(parts: tuple[tuple[str, str], ...], *, ignore_case: bool = False) -> Matcher:
    """StringLike: `*` and `?` match any characters, colons included."""
    return _glob_matcher(parts, ignore_case)


@lru_cache(maxsize=8192)
def _glob_matcher(parts: tuple[tuple[str, str], ...], ignore_case: bool) -> Matcher:
    text = _unbounded_text(parts, 0)
    if text is not None and (not ignore_case or text.isascii()):  # str.lower() of ASCII is per character
        if not ignore_case:
            return compile_text(text)
        lowered = compile_text(text.lower())
        return lambda value: lowered(value.lower())
    tokens = glob_tokens(parts)
    if ignore_case:
        tokens = tuple((kind, ch.lower(), bounded) for kind, ch, bounded in tokens)
        match = compile_tokens(tokens)
        return lambda text: match(text.lower())
    return compile_tokens(tokens)


def glob_tokens(parts: tuple[tuple[str, str], ...]) -> tuple[Token, ...]:
    out: list[Token] = []
    for kind, text in parts:
        for ch in text:
            if kind == "glob" and ch == "*":
                out.append((STAR, "", False))
            elif kind == "glob" and ch == "?":
                out.append((ONE, "", False))
            else:
                out.append((LIT, ch, False))
    return tuple(out)


def arn_matcher(parts: tuple[tuple[str, str], ...]) -> Matcher:
    return _arn_matcher(parts)


@lru_cache(maxsize=8192)
def _arn_matcher(parts: tuple[tuple[str, str], ...]) -> Matcher:
    text = _unbounded_text(parts, min(5, sum(text.count(":") for _, text in parts)))
    return compile_text(text) if text is not None else compile_tokens(arn_tokens(parts))


def arn_tokens(parts: tuple[tuple[str, str], ...]) -> tuple[Token, ...]:
    """ArnLike patterns match segment by segment: in the first five colon-separated segments a
    wildcard does not cross a colon; the sixth (resource) segment may contain colons. A
    wildcard in the pattern's last written segment may run to the end (so `arn:aws:s3:*`
    still covers every S3 ARN)."""
    total_colons = sum(text.count(":") for _, text in parts)
    colons = 0
    out: list[Token] = []
    for kind, text in parts:
        for ch in text:
            if kind == "glob" and ch in "*?":
                bounded = colons < 5 and colons < total_colons
                out.append((STAR if ch == "*" else ONE, "", bounded))
            else:
                colons += ch == ":"
                out.append((LIT, ch, False))
    return tuple(out)


def resource_matcher(parts: tuple[tuple[str, str], ...]) -> Matcher:
    return _resource_matcher(parts)


@lru_cache(maxsize=8192)
def _resource_matcher(parts: tuple[tuple[str, str], ...]) -> Matcher:
    text = _unbounded_text(parts, 5)
    return compile_text(text) if text is not None else compile_tokens(resource_tokens(parts))


def _unbounded_text(parts: tuple[tuple[str, str], ...], segments: int) -> str | None:
    """The pattern as one string when every wildcard in it is unbounded, so that compile_text
    builds the same matcher as the tokens would without a tuple per character; else None.
    Unbounded: no wildcard before the end of the first `segments` colon-separated segments (the
    ARN's partition, service, region and account, where `*` may not cross a colon) and no
    literal `*` or `?` (from `${*}` / `${?}`)."""
    if any(kind == "lit" and ("*" in text or "?" in text) for kind, text in parts):
        return None
    text = "".join(text for _, text in parts)
    head = 0
    for _ in range(segments):
        head = text.find(":", head) + 1
        if not head:
            head = len(text)  # fewer colons: every wildcard is in a bounded segment
            break
    if "*" in text[:head] or "?" in text[:head]:
        return None
    return text


def resource_tokens(parts: tuple[tuple[str, str], ...]) -> tuple[Token, ...]:
    """Resource / NotResource patterns (IAM User Guide, "IAM JSON policy elements: Resource"):
    wildcards work within each colon-separated segment, except that a `*` which is the last
    character of a segment can expand past the colons (so `arn:aws:ec2:*:instance/*` covers
    `arn:aws:ec2:us-east-1:111122223333:instance/i-1`)."""
    flat: list[tuple[str, str]] = [(kind, ch) for kind, text in parts for ch in text]
    colons = 0
    out: list[Token] = []
    for i, (kind, ch) in enumerate(flat):
        if kind == "glob" and ch in "*?":
            ends_segment = i + 1 == len(flat) or flat[i + 1][1] == ":"
            bounded = colons < 5 and not (ch == "*" and ends_segment)
            out.append((STAR if ch == "*" else ONE, "", bounded))
        else:
            colons += ch == ":"
            out.append((LIT, ch, False))
    return tuple(out)


@lru_cache(maxsize=4096)
def action_matcher(pattern: str) -> Matcher:
    """Action names are case-insensitive; `*` and `?` are wildcards. The matcher expects a
    lower-case action."""
    return _glob_matcher((("glob", pattern.lower()),), False)
