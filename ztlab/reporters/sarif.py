"""SARIF 2.1.0 for code-scanning tools: one rule per check, one result per finding."""

from __future__ import annotations

import json
from typing import Any, Iterable

from ztlab import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "informational": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "informational": "0.0"}
KINDS = {"FAIL": "fail", "PASS": "pass", "UNKNOWN": "review", "NOT_APPLICABLE": "notApplicable"}


def _rule(check_id: str) -> dict[str, Any]:
    from ztlab.checks import get_check

    m = get_check(check_id).metadata
    controls = [f"FSBP {c}" for c in m.controls.fsbp] + [f"CIS {c}" for c in m.controls.cis]
    help_text = f"{m.rationale}\n\nFix with the AWS CLI: {m.remediation.cli}\n\nIn the console: {m.remediation.console}"
    return {
        "id": m.id,
        "name": "".join(word.capitalize() for word in m.id.split("_")),
        "shortDescription": {"text": m.title},
        "fullDescription": {"text": m.rationale},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[m.severity]},
        "properties": {
            "tags": ["security", m.principle, m.domain, *controls],
            "security-severity": SECURITY_SEVERITY[m.severity],
            "principle": m.principle,
            "severity": m.severity,
        },
    }


def sarif_dict(findings: Iterable[Any], *, account: str | None = None) -> dict[str, Any]:
    findings = list(findings)
    rule_ids = list(dict.fromkeys(f.check_id for f in findings))
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results = []
    for f in findings:
        results.append({
            "ruleId": f.check_id,
            "ruleIndex": index[f.check_id],
            "kind": KINDS[f.status],
            "level": LEVELS[f.severity] if f.status == "FAIL" else "none",
            "message": {"text": f.message},
            "locations": [{"logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}]}],
            "partialFingerprints": {"ztlabFinding/v1": f"{f.check_id}:{f.resource}"},
            "properties": {"status": f.status, "resource": f.resource, "evidence": f.evidence},
        })
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ztlab", "version": __version__, "informationUri": "https://github.com/ztlab/ztlab",
                "rules": [_rule(rid) for rid in rule_ids],
            }},
            "properties": {"account": account},
            "results": results,
        }],
    }


def render_sarif(findings: Iterable[Any], *, account: str | None = None) -> str:
    return json.dumps(sarif_dict(findings, account=account), indent=2, default=str) + "\n"
