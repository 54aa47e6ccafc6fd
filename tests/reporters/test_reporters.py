"""Every report format from the same findings: shape, colours, counts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from ztlab.checks import get_check
from ztlab.reporters import FORMATS, render

from tests.checks.helpers import ec2, perm, sg, snap


@pytest.fixture(scope="module")
def findings():
    account = snap(**ec2(sg("sg-open", perm("tcp", 22, cidrs=("0.0.0.0/0",)), name="open"), sg("sg-ok", perm("tcp", 443, groups=("sg-lb",)))))
    ssh = get_check("ec2_sg_no_world_ssh").run(account)
    unknown = get_check("ec2_sg_no_world_rdp").run(snap(ec2={"error": "AccessDenied (HTTP 403): not allowed"}))
    return ssh + unknown


def test_json_report_shape(findings) -> None:
    report = json.loads(render(findings, "json", account="123456789012"))
    assert report["account"] == "123456789012"
    assert report["summary"]["FAIL"] == 1 and report["summary"]["UNKNOWN"] == 1
    keys = {"check_id", "title", "principle", "severity", "status", "resource", "message", "evidence"}
    assert all(set(f) == keys for f in report["findings"])
    failed = next(f for f in report["findings"] if f["status"] == "FAIL")
    assert failed["resource"] == "arn:aws:ec2:us-east-1:123456789012:security-group/sg-open"
    assert failed["evidence"]["pointer"] == "/IpPermissions/0/IpRanges/0"


def test_text_report_colours_only_when_asked(findings, monkeypatch) -> None:
    plain = render(findings, "text", account="123456789012", color=False)
    assert "\x1b[" not in plain and "sg-open" in plain and "1 failed, 1 unknown" in plain
    assert "\x1b[" in render(findings, "text", color=True)
    from ztlab.reporters.style import colour_wanted

    monkeypatch.setenv("NO_COLOR", "1")

    class Tty:
        def isatty(self) -> bool:
            return True

    assert colour_wanted(Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    assert colour_wanted(Tty()) is True


def test_sarif_report(findings) -> None:
    sarif = json.loads(render(findings, "sarif", account="123456789012"))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "FSBP EC2.13" in rules["ec2_sg_no_world_ssh"]["properties"]["tags"]
    kinds = {r["kind"] for r in run["results"]}
    assert kinds == {"fail", "pass", "review"}
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_junit_report(findings) -> None:
    root = ET.fromstring(render(findings, "junit"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    assert {s.get("name") for s in root.findall("testsuite")} == {"ec2_sg_no_world_ssh", "ec2_sg_no_world_rdp"}


def test_every_format_renders_an_empty_audit() -> None:
    for fmt in FORMATS:
        assert render([], fmt)
    with pytest.raises(ValueError, match="unknown report format"):
        render([], "yaml")


def test_text_report_groups_the_checks_that_do_not_apply() -> None:
    from ztlab.checks.registry import run_checks

    findings = run_checks(snap(**ec2(sg("sg-open", perm("tcp", 22, cidrs=("0.0.0.0/0",)), name="open"))))
    idle = {f.check_id for f in findings} - {f.check_id for f in findings if f.status != "NOT_APPLICABLE"}
    assert len(idle) > 5
    text = render(findings, "text", color=False)
    assert "1 not applicable" not in text  # was printed once per check, dozens of times
    assert text.count("Not applicable here") == 1 and f"({len(idle)} checks" in text
    assert all(check_id in text for check_id in idle) and "sg-open" in text
    assert "Not applicable here" not in render(findings, "text", color=False, verbose=True)
