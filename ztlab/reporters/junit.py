"""JUnit XML: a test suite per check, a test case per resource; FAIL is a failure, UNKNOWN an error."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Any, Iterable


def render_junit(findings: Iterable[Any], *, account: str | None = None) -> str:
    findings = list(findings)
    root = ET.Element("testsuites", name=f"ztlab audit{' ' + account if account else ''}")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for check_id, group in groupby(findings, key=lambda f: f.check_id):
        items = list(group)
        suite = ET.SubElement(root, "testsuite", name=check_id)
        counts = {"tests": len(items), "failures": 0, "errors": 0, "skipped": 0}
        for f in items:
            case = ET.SubElement(suite, "testcase", classname=f"ztlab.{check_id}", name=f.resource)
            detail = json.dumps(f.evidence, indent=1, default=str) if f.evidence else ""
            if f.status == "FAIL":
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=f.message, type=f.severity).text = detail
            elif f.status == "UNKNOWN":
                counts["errors"] += 1
                ET.SubElement(case, "error", message=f.message, type="unknown").text = detail
            elif f.status == "NOT_APPLICABLE":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f.message)
            else:
                ET.SubElement(case, "system-out").text = f.message
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
