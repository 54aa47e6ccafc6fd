"""The class report over a folder of bundles: table, pass rates, who looks stuck, exports.

Bundles are built with the same code `ztlab workshop submit` uses, from evidence written here.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.content import load_course_or_raise
from ztlab.labs.evidence import LabEvidence
from ztlab.workshop import build_bundle, load_report, load_workshop, render_text, signature_ok, write_bundle
from ztlab.workshop.report import STUCK_FAILED_CHECKS, STUCK_HINTS, STUCK_TIME_FACTOR

LAB = "s3-least-privilege"
# The lab's objectives in order; a learner's statuses name the first four, the rest follow the last one.
OBJECTIVES = [o.id for o in load_course_or_raise().labs[LAB].objectives]
assert OBJECTIVES[:4] == ["reads-monthly-exports", "no-writes-or-admin", "only-the-monthly-prefix", "tls-only"]
KEY = "k-report-test-0123456789"


@pytest.fixture()
def workshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZTLAB_WORKSHOP", "")
    file = tmp_path / "class.yaml"
    file.write_text(f"title: Report class\nkey: {KEY}\nitems:\n  - {{lab: {LAB}, minutes: 20}}\n")
    return load_workshop(file, load_course_or_raise())


def submit(folder: Path, workshop, name: str, statuses: list[str] | None, *, minutes: float = 10, failed: int = 0,
           hints: int = 0) -> Path:
    evidence = {}
    if statuses is not None:
        now = time.time()
        item = LabEvidence(LAB, seed=1, started_at=now - minutes * 60, first_started_at=now - minutes * 60,
                           checks=failed + 1, failed_checks=failed, hints=hints, last_check_at=now)
        item.claimed = {"score": sum(2 for s in statuses if s == "PASS"), "max_score": 10,
                        "passed": all(s == "PASS" for s in statuses),
                        "objectives": dict(zip(OBJECTIVES, statuses + statuses[-1:] * (len(OBJECTIVES) - len(statuses))))}
        evidence[LAB] = item
    return write_bundle(build_bundle(workshop, name, evidence, KEY.encode()), folder)


def test_learners_by_objectives_pass_rates_and_stuck(tmp_path: Path, workshop) -> None:
    folder = tmp_path / "subs"
    submit(folder, workshop, "Ada", ["PASS"] * 4, minutes=12)
    submit(folder, workshop, "Bo", ["PASS", "PASS", "FAIL", "FAIL"], minutes=20 * STUCK_TIME_FACTOR + 5)
    submit(folder, workshop, "Cy", ["PASS", "FAIL", "FAIL", "FAIL"], failed=STUCK_FAILED_CHECKS, hints=STUCK_HINTS)
    submit(folder, workshop, "Di", None)  # never started the lab
    (folder / "notes.json").write_text("{not json")
    report = load_report(folder, workshop=workshop, key=KEY.encode(), course=load_course_or_raise())

    assert [l.name for l in report.learners] == ["Ada", "Bo", "Cy", "Di"]
    assert report.columns == [(LAB, o) for o in OBJECTIVES]
    rates = report.pass_rates()
    assert rates[(LAB, "reads-monthly-exports")] == (3, 4)
    assert rates[(LAB, "tls-only")] == (1, 4)
    stuck = {l.name: l.stuck for l in report.stuck_learners}
    assert set(stuck) == {"Bo", "Cy"}
    assert any("time box 20 min" in why for why in stuck["Bo"])
    assert any("failed checks" in why for why in stuck["Cy"]) and any("hints" in why for why in stuck["Cy"])
    assert all(l.signature == "ok" for l in report.learners)
    assert len(report.unreadable) == 1 and "notes.json" in report.unreadable[0]

    text = render_text(report)
    assert "Looks stuck:" in text and "Bo:" in text and "notes.json" in text
    rows = list(csv.DictReader(io.StringIO(report.csv_text())))
    assert len(rows) == 4 * len(OBJECTIVES)
    assert {r["status"] for r in rows if r["learner"] == "Di"} == {"-"}


def test_a_passed_lab_is_never_stuck_and_a_bad_signature_is_shown(tmp_path: Path, workshop) -> None:
    folder = tmp_path / "subs"
    path = submit(folder, workshop, "Ada", ["PASS"] * 4, minutes=500, failed=50, hints=50)
    bundle = json.loads(path.read_text())
    assert signature_ok(bundle, KEY.encode())
    bundle["labs"][0]["hints"] = 0
    path.write_text(json.dumps(bundle))
    report = load_report(folder, workshop=workshop, key=KEY.encode(), course=load_course_or_raise())
    assert report.stuck_learners == []
    assert report.learners[0].signature == "bad"


def test_report_cli_writes_csv_and_json(tmp_path: Path, workshop) -> None:
    folder = tmp_path / "subs"
    submit(folder, workshop, "Ada", ["PASS"] * 4)
    submit(folder, workshop, "Bo", ["PASS", "PASS", "FAIL", "FAIL"])
    out_csv, out_json = tmp_path / "r.csv", tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["--workshop", str(workshop.path), "workshop", "report", str(folder),
                                      "--csv", str(out_csv), "--json", str(out_json)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "only-the-monthly-prefix: 1/2 (50%)" in result.output
    data = json.loads(out_json.read_text())
    assert data["thresholds"] == {"time_factor": STUCK_TIME_FACTOR, "failed_checks": STUCK_FAILED_CHECKS, "hints": STUCK_HINTS}
    assert [o["pass_rate"] for o in data["objectives"]] == [1.0, 1.0] + [0.5] * (len(OBJECTIVES) - 2)
    assert out_csv.read_text().startswith("learner,lab,objective,status")


def test_an_empty_folder_is_an_empty_report(tmp_path: Path, workshop) -> None:
    report = load_report(tmp_path, workshop=workshop, key=None, course=load_course_or_raise())
    assert report.learners == [] and "No submissions yet." in render_text(report)


def test_regrade_text_output_flags_a_bad_signature_without_needing_a_replay(tmp_path: Path, workshop) -> None:
    folder = tmp_path / "subs"
    good = submit(folder, workshop, "Di", None)  # nothing claimed: nothing to replay
    forged = json.loads(good.read_text())
    forged["learner"]["name"] = "Someone Else"
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged))
    (tmp_path / "broken.json").write_text("[]")
    result = CliRunner().invoke(cli, ["--workshop", str(workshop.path), "workshop", "regrade", str(good), str(bad),
                                      str(tmp_path / "broken.json")], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("ok") and "Di" in line for line in lines)
    assert any(line.startswith("FLAGGED") and "Someone Else" in line for line in lines)
    assert "signature does not match" in result.output
    assert "not a ztlab submission" in result.output
    assert "3 bundle(s) regraded" in result.output and "2 flagged" in result.output


def test_workshop_schema_is_json() -> None:
    result = CliRunner().invoke(cli, ["workshop", "schema"])
    assert result.exit_code == 0 and "items" in json.loads(result.output)["properties"]
