"""How long an instructor waits: the class report over many bundles, and the replay regrade.

    PYTHONPATH=. python bench/workshop_regrade.py [--learners 200]

Prints figures; asserts nothing (speed targets live here, not in unit tests).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--regrades", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("ZTLAB_HOME", tempfile.mkdtemp(prefix="ztlab-bench-"))
    os.environ["ZTLAB_WORKSHOP"] = ""

    from ztlab.content import load_course_or_raise
    from ztlab.labs.evidence import LabEvidence
    from ztlab.labs.runtime import check_lab, setup_lab
    from ztlab.sandbox import recorder
    from ztlab.sandbox.ephemeral import ephemeral_moto
    from ztlab.workshop import build_bundle, load_report, load_workshop, regrade, write_bundle

    lab_id, key = "s3-least-privilege", b"bench-key-0123456789"
    work = Path(tempfile.mkdtemp(prefix="ztlab-bench-class-"))
    (work / "class.yaml").write_text(f"title: Bench\nkey: {key.decode()}\nitems:\n  - {{lab: {lab_id}, minutes: 20}}\n")
    course = load_course_or_raise()
    loaded = load_workshop(work / "class.yaml", course)
    lab = course.labs[lab_id]

    # One real piece of evidence: setup, the learner's reference fix recorded through the recorder, a check.
    with ephemeral_moto() as sandbox:
        sandbox.reset()
        seed = recorder.seed_for(lab_id, "")
        recorder.seed(sandbox, seed)
        names = setup_lab(course, lab, sandbox)
        from moto.moto_api import recorder as moto_recorder

        moto_recorder._location = str(work / "recording.jsonl")  # noqa: SLF001 - keep the bench's recording in its folder
        recorder.start(sandbox, fresh=True)
        from ztlab.labs.runtime import apply_solution

        apply_solution(course, lab, sandbox, names)
        recorder.stop(sandbox)
        recording = recorder.download(sandbox)
        result = check_lab(lab, sandbox, names)
    evidence = LabEvidence(lab_id, seed=seed, names=names, recording=recording, checks=1, last_check_at=time.time())
    evidence.claimed = {"score": result.score, "max_score": result.max_score, "passed": result.passed,
                        "objectives": {o.id: o.status for o in result.objectives}}

    folder = work / "submissions"
    started = time.perf_counter()
    for number in range(args.learners):
        write_bundle(build_bundle(loaded, f"learner-{number:04d}", {lab_id: evidence}, key), folder)
    build_seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / args.learners

    started = time.perf_counter()
    report = load_report(folder, workshop=loaded, key=key, course=course)
    report_seconds = time.perf_counter() - started
    assert len(report.learners) == args.learners

    paths = sorted(folder.glob("*.json"))[: args.regrades]
    times: list[float] = []
    started = time.perf_counter()
    verdicts = regrade(paths, course, loaded, key, on_verdict=lambda v: times.append(time.perf_counter()))
    flagged = sum(v.flagged for v in verdicts)
    per_bundle = [b - a for a, b in zip([started, *times[:-1]], times)]

    print(json.dumps({
        "learners": args.learners,
        "bundle_build_and_sign_ms_each": round(1000 * build_seconds / args.learners, 2),
        "bundle_size_bytes": int(size),
        "report_seconds_all_bundles": round(report_seconds, 3),
        "regrade_seconds_first_bundle": round(per_bundle[0], 2),
        "regrade_seconds_later_bundles": [round(t, 2) for t in per_bundle[1:]],
        "regrade_flagged": flagged,
    }, indent=2))


if __name__ == "__main__":
    main()
