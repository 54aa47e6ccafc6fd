"""The report a person reads: grouped by check, failures first within each group, a summary at the end."""

from __future__ import annotations

from itertools import groupby
from typing import Any, Iterable

from ztlab.principles import PRINCIPLE_TITLES
from ztlab.reporters.style import style
from ztlab.reporters.summary import summarise

MARKS = {"FAIL": "✗", "UNKNOWN": "?", "PASS": "✓", "NOT_APPLICABLE": "–"}
COLOURS = {"FAIL": "red", "UNKNOWN": "yellow", "PASS": "green", "NOT_APPLICABLE": "bright_black"}
SEVERITY_COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "informational": "bright_black"}
ORDER = {"FAIL": 0, "UNKNOWN": 1, "PASS": 2, "NOT_APPLICABLE": 3}


def render_text(findings: Iterable[Any], *, account: str | None = None, region: str | None = None,
                color: bool = False, verbose: bool = False) -> str:
    findings = list(findings)

    def paint(text: str, **how: Any) -> str:
        return style(text, **how) if color else text

    lines: list[str] = []
    where = " ".join(x for x in (f"account {account}" if account else "", f"in {region}" if region else "") if x)
    lines.append(paint(f"ztlab audit {where}".rstrip(), bold=True))
    lines.append("")
    not_applicable: list[str] = []
    for check_id, group in groupby(findings, key=lambda f: f.check_id):
        items = sorted(group, key=lambda f: ORDER[f.status])
        first = items[0]
        if not verbose and all(f.status == "NOT_APPLICABLE" for f in items):
            # Nothing of that kind in the account: one grouped line below, not a header per check.
            not_applicable.append(check_id)
            continue
        worst = first.status
        header = f"{MARKS[worst]} {first.title}"
        lines.append(paint(header, fg=COLOURS[worst], bold=True)
                     + "  " + paint(f"[{first.severity}]", fg=SEVERITY_COLOURS.get(first.severity))
                     + paint(f" {check_id} · {PRINCIPLE_TITLES.get(first.principle, first.principle)}", dim=True))
        shown = [f for f in items if verbose or f.status in ("FAIL", "UNKNOWN")]
        for f in shown:
            lines.append("    " + paint(MARKS[f.status], fg=COLOURS[f.status]) + f" {f.message}")
            if f.status == "FAIL" and verbose and f.evidence.get("pointer"):
                lines.append(paint(f"      at {f.evidence['pointer']}", dim=True))
        # by identity: `not in` compares findings field by field, quadratic with 20,000 roles
        shown_ids = {id(f) for f in shown}
        hidden = [f for f in items if id(f) not in shown_ids]
        if hidden:
            counts = {s: sum(1 for f in hidden if f.status == s) for s in ("PASS", "NOT_APPLICABLE")}
            parts = [f"{n} passed" if s == "PASS" else f"{n} not applicable" for s, n in counts.items() if n]
            lines.append(paint("    " + ", ".join(parts), dim=True))
    if not_applicable:
        lines.append(paint(f"{MARKS['NOT_APPLICABLE']} Not applicable here ({len(not_applicable)} checks: nothing they look "
                           "at is in the account; --verbose lists each):", fg=COLOURS["NOT_APPLICABLE"]))
        lines.append(paint("    " + ", ".join(sorted(not_applicable)), dim=True))
    s = summarise(findings)
    lines.append("")
    lines.append(
        paint(f"{s.failed} failed", fg="red" if s.failed else None, bold=bool(s.failed)) + ", "
        + paint(f"{s.unknown} unknown", fg="yellow" if s.unknown else None) + ", "
        + f"{s.passed} passed, {s.not_applicable} not applicable "
        + paint(f"({s.total} findings from {len({f.check_id for f in findings})} checks)", dim=True)
    )
    return "\n".join(lines) + "\n"
