"""Counting findings the same way in every report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable


@dataclass(frozen=True)
class Summary:
    total: int
    passed: int
    failed: int
    unknown: int
    not_applicable: int
    failed_checks: int

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "PASS": self.passed, "FAIL": self.failed, "UNKNOWN": self.unknown,
                "NOT_APPLICABLE": self.not_applicable, "failed_checks": self.failed_checks}


def summarise(findings: Iterable[Any]) -> Summary:
    findings = list(findings)
    counts = Counter(f.status for f in findings)
    return Summary(len(findings), counts["PASS"], counts["FAIL"], counts["UNKNOWN"], counts["NOT_APPLICABLE"],
                   len({f.check_id for f in findings if f.status == "FAIL"}))
