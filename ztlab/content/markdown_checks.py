"""Checks on Markdown bodies: every code fence names its language, and JSON examples parse."""

from __future__ import annotations

import json
import re

_FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)\s*$")


def fence_problems(body: str) -> list[tuple[int, str, str]]:
    """(line offset inside body, message, expected) for each bad fence."""
    problems: list[tuple[int, str, str]] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        opener, language, start = match.group(2), match.group(3).lower(), index
        index += 1
        block: list[str] = []
        while index < len(lines) and not lines[index].strip().startswith(opener[:3]):
            block.append(lines[index])
            index += 1
        if index >= len(lines):
            problems.append((start, "a code fence is never closed", f"a closing {opener}"))
            break
        index += 1
        if not language:
            problems.append((start, "a code block has no language", "a fence like ```json, ```hcl, ```python, ```bash"))
        elif language == "json":
            try:
                json.loads("\n".join(block))
            except json.JSONDecodeError as exc:
                problems.append((start + 1 + exc.lineno - 1, f"the JSON example does not parse: {exc.msg}", "valid JSON"))
    return problems
