"""JUnit XML, the format CI systems and GitHub Classroom read: one testcase per verdict.

An audit writes a suite per check and a case per resource; a lab one suite with a case per
objective. FAIL is a failure, UNKNOWN an error (the grader could not tell), NOT_APPLICABLE skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Iterable
from xml.etree import ElementTree as ET


@dataclass
class Case:
    name: str
    classname: str
    status: str  # PASS, FAIL, UNKNOWN, NOT_APPLICABLE
    message: str = ""
    details: str = ""
    seconds: float | None = None
    kind: str = ""  # the failure's `type` (an audit's severity)
    output: str = ""  # system-out of a passing case


def junit_xml(name: str, suites: list[tuple[str, list[Case]]]) -> str:
    root = ET.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite_name, cases in suites:
        suite = ET.SubElement(root, "testsuite", name=suite_name)
        counts = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
        for case in cases:
            element = ET.SubElement(suite, "testcase", name=case.name, classname=case.classname)
            if case.seconds is not None:
                element.set("time", f"{case.seconds:.3f}")
            message = case.message[:500]
            if case.status == "FAIL":
                counts["failures"] += 1
                ET.SubElement(element, "failure", message=message, **({"type": case.kind} if case.kind else {})).text = \
                    case.details or case.message
            elif case.status == "UNKNOWN":
                counts["errors"] += 1
                ET.SubElement(element, "error", message=message, type="unknown").text = case.details or case.message
            elif case.status == "NOT_APPLICABLE":
                counts["skipped"] += 1
                ET.SubElement(element, "skipped", message=message)
            elif case.output:
                ET.SubElement(element, "system-out").text = case.output
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_junit(findings: Iterable[Any], *, account: str | None = None) -> str:
    """An audit's findings: a suite per check, a case per resource, the evidence as the details."""
    suites = []
    for check_id, group in groupby(list(findings), key=lambda f: f.check_id):
        suites.append((check_id, [
            Case(name=f.resource, classname=f"ztlab.{check_id}", status=f.status, message=f.message,
                 details=json.dumps(f.evidence, indent=1, default=str) if f.evidence else "", kind=f.severity,
                 output=f.message if f.status == "PASS" else "")
            for f in group]))
    return junit_xml(f"ztlab audit{' ' + account if account else ''}", suites)
