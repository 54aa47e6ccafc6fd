"""`{"account": ..., "findings": [...]}`: the stable machine-readable report."""

from __future__ import annotations

import json
from typing import Any, Iterable

from ztlab.reporters.summary import summarise


def report_dict(findings: Iterable[Any], *, account: str | None = None, region: str | None = None,
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    findings = list(findings)
    out: dict[str, Any] = {"account": account, "region": region}
    out.update(extra or {})
    out["summary"] = summarise(findings).as_dict()
    out["findings"] = [f.report_dict() for f in findings]
    return out


def render_json(findings: Iterable[Any], *, account: str | None = None, region: str | None = None,
                extra: dict[str, Any] | None = None) -> str:
    return json.dumps(report_dict(findings, account=account, region=region, extra=extra), indent=2, default=str) + "\n"
