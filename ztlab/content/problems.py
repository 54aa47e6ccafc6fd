"""Content problems: what is wrong, where (file, line, column) and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ztlab.untrusted.text import safe_line


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int  # 1-based; 0 when the problem is about the file as a whole
    column: int  # 1-based
    message: str
    expected: str = ""

    def __str__(self) -> str:
        # Messages quote the author's text (keys, ids, values): printed, it must stay one inert line.
        where = f"{self.file}:{self.line}:{self.column}" if self.line else str(self.file)
        text = f"{where}: {self.message}"
        if self.expected:
            text += f" (expected {self.expected})"
        return safe_line(text)


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
