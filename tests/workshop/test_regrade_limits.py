"""Regrade against bundles made to stall it or to hide a reset, with a real replay worker and moto.

- a lab whose replay overruns the per-lab limit is stopped and flagged, and the next bundle is still
  regraded (the worker is started afresh);
- a recording that calls the emulator's reset route is flagged, whatever its verdicts;
- the limit itself must be a number of seconds above zero.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.content import load_course_or_raise
from ztlab.labs.evidence import LabEvidence
from ztlab.labs.runtime import check_lab, setup_lab
from ztlab.sandbox import recorder
from ztlab.sandbox.ephemeral import ephemeral_moto
from ztlab.workshop import build_bundle, load_workshop, regrade, write_bundle

pytestmark = [pytest.mark.server, pytest.mark.slow]

LAB = "s3-least-privilege"
KEY = b"k-limits-0123456789"


@pytest.fixture(scope="module")
def course():
    return load_course_or_raise()


@pytest.fixture()
def workshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, course):
    monkeypatch.setenv("ZTLAB_WORKSHOP", "")
    file = tmp_path / "class.yaml"
    file.write_text(f"title: Limits\nkey: {KEY.decode()}\nitems:\n  - {{lab: {LAB}, minutes: 20}}\n")
    return load_workshop(file, course)


def untouched_lab_evidence(course) -> LabEvidence:
    """The lab as set up, checked once: every claim true, nothing recorded."""
    lab = course.labs[LAB]
    seed = recorder.seed_for(LAB, "")
    with ephemeral_moto() as server:
        server.reset()  # in-process moto servers share one set of backends
        recorder.seed(server, seed)
        names = setup_lab(course, lab, server)
        result = check_lab(lab, server, names)
    evidence = LabEvidence(LAB, seed=seed, names=names)
    evidence.claimed = {"score": result.score, "max_score": result.max_score, "passed": result.passed,
                        "objectives": {o.id: o.status for o in result.objectives}}
    return evidence


SLOW_LAB = """\
id: slow-setup
title: A lab whose setup never ends
principles: [least-privilege]
difficulty: intro
minutes: 5
briefing: |
  Nothing to do.
setup:
  - call: s3.create_bucket
    args: {Bucket: slow-setup-data}
objectives:
  - id: tls
    title: The bucket requires TLS
    check:
      id: s3_bucket_requires_tls
"""


def test_a_replay_over_the_time_limit_is_stopped_and_the_class_goes_on(tmp_path: Path, monkeypatch) -> None:
    # A pack lab whose trusted setup code sleeps for ten minutes: a stall that no machine speed changes.
    pack = tmp_path / "pack"
    (pack / "labs" / "slow-setup").mkdir(parents=True)
    (pack / "labs" / "slow-setup" / "lab.yaml").write_text(SLOW_LAB)
    (pack / "labs" / "slow-setup" / "setup.py").write_text("import time\ndef setup(ctx):\n    time.sleep(600)\n")
    monkeypatch.setenv("ZTLAB_WORKSHOP", "")
    course = load_course_or_raise([pack])
    file = tmp_path / "class.yaml"
    file.write_text(f"title: Limits\nkey: {KEY.decode()}\nitems:\n  - {{lab: slow-setup, minutes: 5}}\n"
                    f"  - {{lab: {LAB}, minutes: 20}}\n")
    workshop = load_workshop(file, course)
    honest = untouched_lab_evidence(course)
    stalling = LabEvidence("slow-setup", seed=1, names={})
    stalling.claimed = {"score": 0, "max_score": 1, "passed": False, "objectives": {"tls": "FAIL"}}
    # The stalling lab comes first in Sam's bundle: Ada's and Sam's own second lab still get graded.
    slow = write_bundle(build_bundle(workshop, "Slow Sam", {"slow-setup": stalling, LAB: honest}, KEY), tmp_path / "subs")
    fine = write_bundle(build_bundle(workshop, "Ada", {LAB: honest}, KEY), tmp_path / "subs")

    started = time.monotonic()
    verdicts = {v.learner: v for v in regrade([slow, fine], course, workshop, KEY, trust_code=True, lab_timeout=60)}
    assert time.monotonic() - started < 400, "the sleeping setup was not stopped"
    sam = {lab.lab: lab for lab in verdicts["Slow Sam"].labs}
    assert verdicts["Slow Sam"].flagged
    assert sam["slow-setup"].problems == ["the replay was stopped after 60 s (the per-lab time limit)"]
    assert sam[LAB].replayed == honest.claimed["objectives"] and not sam[LAB].problems
    assert not verdicts["Ada"].flagged, verdicts["Ada"].reasons()
    ada = {lab.lab: lab for lab in verdicts["Ada"].labs}
    assert ada[LAB].replayed == honest.claimed["objectives"]
    assert ada[LAB].score == honest.claimed["score"]


def test_a_recording_that_resets_the_emulator_is_flagged(tmp_path: Path, course, workshop) -> None:
    evidence = untouched_lab_evidence(course)
    evidence.recording = [{"url": "http://127.0.0.1:5000/moto-api/reset", "method": "POST", "headers": {}, "body": ""}]
    path = write_bundle(build_bundle(workshop, "Cy", {LAB: evidence}, KEY), tmp_path / "subs")
    [verdict] = regrade([path], course, workshop, KEY)
    assert verdict.flagged
    assert any("control routes (/moto-api/reset)" in reason for reason in verdict.reasons())


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "soon"])
def test_the_lab_time_limit_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    bundle = tmp_path / "b.json"
    bundle.write_text("{}")
    result = CliRunner().invoke(cli, ["workshop", "regrade", str(bundle), "--lab-timeout", value])
    assert result.exit_code == 2
    assert "--lab-timeout" in result.output
