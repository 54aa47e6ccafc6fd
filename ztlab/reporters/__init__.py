"""Findings to text, JSON, SARIF 2.1.0 and JUnit XML. Used by `ztlab audit` and by the labs.

    from ztlab.reporters import render
    print(render(findings, "json", account=snapshot.account_id))
"""

from __future__ import annotations

from typing import Any, Iterable

from ztlab.reporters.json_report import render_json
from ztlab.reporters.junit import render_junit
from ztlab.reporters.sarif import render_sarif
from ztlab.reporters.summary import Summary, summarise
from ztlab.reporters.text import render_text

FORMATS: tuple[str, ...] = ("text", "json", "sarif", "junit")


def render(findings: Iterable[Any], format: str, *, account: str | None = None, region: str | None = None,
           color: bool = False, verbose: bool = False, extra: dict[str, Any] | None = None) -> str:
    """One report in `format` (one of FORMATS)."""
    findings = list(findings)
    if format == "text":
        return render_text(findings, account=account, region=region, color=color, verbose=verbose)
    if format == "json":
        return render_json(findings, account=account, region=region, extra=extra)
    if format == "sarif":
        return render_sarif(findings, account=account)
    if format == "junit":
        return render_junit(findings, account=account)
    raise ValueError(f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "Summary", "render", "render_json", "render_junit", "render_sarif", "render_text", "summarise"]
