"""The engine's one error type and its non-fatal findings, both located in the policy text."""

from __future__ import annotations

from dataclasses import dataclass


class PolicyError(ValueError):
    """A policy document the engine cannot evaluate: what is wrong, and where.

    `pointer` is an RFC 6901 JSON pointer into the document ("" for the whole document);
    `line` and `column` are 1-based positions in the source text, or None when the policy
    was given as a dict rather than text.
    """

    def __init__(self, message: str, pointer: str = "", line: int | None = None,
                 column: int | None = None, *, name: str = "policy") -> None:
        self.message = message
        self.pointer = pointer
        self.line = line
        self.column = column
        self.name = name
        super().__init__(str(self))

    def location(self) -> str:
        where = self.name
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        if self.pointer:
            where += f" at {self.pointer}"
        return where

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def __reduce__(self):  # keep pickling (hypothesis, xdist) working with keyword-only name
        return (_rebuild_error, (self.message, self.pointer, self.line, self.column, self.name))


def _rebuild_error(message, pointer, line, column, name):
    return PolicyError(message, pointer, line, column, name=name)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something legal but suspicious found while parsing (duplicate key, set operator on a
    single-valued key, ...). Lint reports these; evaluation ignores them, as AWS does."""

    code: str
    message: str
    pointer: str
    line: int | None
    column: int | None
    fix: str = ""
