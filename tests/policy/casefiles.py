"""The table of IAM cases: JSON files in `--case` shape (simulate-custom-policy input plus
Description / Source / Expected...), so the same data drives the library and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

CASES_DIR = Path(__file__).parent / "cases"


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.json"))


def all_cases() -> list[tuple[str, dict]]:
    out = []
    for path in case_files():
        for i, case in enumerate(json.loads(path.read_text())):
            out.append((f"{path.stem}#{i}", case))
    return out


def expected_decisions(case: dict) -> list[str]:
    n = len(case["ActionNames"]) * max(1, len(case.get("ResourceArns") or ["*"]))
    expected = case["Expected"]
    return [expected] * n if isinstance(expected, str) else list(expected)
