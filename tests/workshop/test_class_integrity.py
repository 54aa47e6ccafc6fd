"""Class grades that hold against the learners they grade (who all hold the workshop key).

End to end, with separate homes, real sandboxes, the real `aws` CLI and real bundles:
- a re-signed bundle whose score was raised is flagged, and the report shows the recomputed points;
- work copied from a classmate (their evidence submitted under another name) is flagged;
- one learner in two bundles, one lab twice in a bundle, a recording that resets the emulator: flagged;
- submissions never overwrite each other, whatever the names ('李雷' / '王芳', 'Zoë' / 'Zo');
- self-reported figures are labelled as such in the JSON and CSV exports.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.workshop.test_workshop_e2e import ADA_POLICY, KEY, LAB, aws, aws_env, learner_env, resign, ztlab
from ztlab.content import load_course_or_raise

pytestmark = [pytest.mark.server, pytest.mark.slow]

AWS_MISSING = shutil.which("aws") is None
MAX = sum(o.points for o in load_course_or_raise().labs[LAB].objectives)


def write_workshop(tmp_path: Path) -> Path:
    workshop = tmp_path / "class.yaml"
    workshop.write_text(f'title: Integrity class\nkey: "{KEY}"\nitems:\n  - {{lab: {LAB}, minutes: 20}}\n', encoding="utf-8")
    return workshop


def bundles_by_name(folder: Path) -> dict[str, Path]:
    return {json.loads(p.read_text(encoding="utf-8"))["learner"]["name"]: p for p in folder.glob("*.json")}


def test_names_that_look_alike_never_share_a_submission_file(tmp_path: Path) -> None:
    workshop = write_workshop(tmp_path)
    folder = tmp_path / "submissions"
    names = ["李雷", "王芳", "Zoë", "Zo", "Zoe"]
    for name in names:
        env = learner_env(tmp_path, f"h{names.index(name)}", workshop)
        ztlab(env, "workshop", "submit", "--name", name, "--output", str(folder))
    found = bundles_by_name(folder)
    assert set(found) == set(names), "every learner's bundle is still there"
    assert len({p.name for p in found.values()}) == len(names)
    assert found["Zoë"].name.startswith("Zoe-") and found["Zoë"].name.endswith(".ztlab-submission.json")

    # A file already holding someone else's bundle is never replaced by another learner's.
    squatter = json.loads(found["Zo"].read_text(encoding="utf-8"))
    target = found["Zoë"]
    target.write_text(json.dumps(squatter), encoding="utf-8")
    again = ztlab(learner_env(tmp_path, "h2", workshop), "workshop", "submit", "--name", "Zoë", "--output", str(folder),
                  check=False)
    assert again.returncode == 1 and "already holds a submission by 'Zo'" in again.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["learner"]["name"] == "Zo"


@pytest.mark.skipif(AWS_MISSING, reason="the aws CLI is not installed")
def test_edited_scores_copied_work_and_resets_are_flagged_and_the_report_recomputes(tmp_path: Path) -> None:
    workshop = write_workshop(tmp_path)
    folder = tmp_path / "submissions"
    ada, bob, cy = (learner_env(tmp_path, n, workshop) for n in ("ada", "bob", "cy"))
    try:
        for env, name in ((ada, "Ada"), (bob, "Bob"), (cy, "Cy")):
            ztlab(env, "workshop", "join", name)
        for env in (ada, cy):
            ztlab(env, "lab", "start", LAB)
        # Ada fixes the lab with the aws CLI.
        ada_aws = aws_env(ada)
        aws(ada_aws, "iam", "delete-role-policy", "--role-name", "report-builder", "--policy-name", "job-access")
        created = json.loads(aws(ada_aws, "iam", "create-policy", "--policy-name", "rb-read",
                                 "--policy-document", json.dumps(ADA_POLICY)))
        aws(ada_aws, "iam", "attach-role-policy", "--role-name", "report-builder", "--policy-arn", created["Policy"]["Arn"])
        assert ztlab(ada, "lab", "check").returncode == 0
        ztlab(ada, "workshop", "submit", "--no-final-check", "--output", str(folder))

        # Bob copies Ada's evidence into his own home and submits it as his own, signed by his ztlab.
        evidence = Path(ada["ZTLAB_HOME"]).rglob(f"evidence/{LAB}.json")
        source = next(evidence)
        target = Path(bob["ZTLAB_HOME"]) / source.relative_to(ada["ZTLAB_HOME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        ztlab(bob, "workshop", "submit", "--no-final-check", "--output", str(folder))

        # Cy empties his account through the emulator's own reset route, then checks.
        cy_aws = aws_env(cy)
        import urllib.request

        request = urllib.request.Request(cy_aws["AWS_ENDPOINT_URL"] + "/moto-api/reset", method="POST", data=b"")
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError:
            pass  # a sandbox that refuses learners its control routes: the recording stays clean
        ztlab(cy, "lab", "check", check=False)
        ztlab(cy, "workshop", "submit", "--no-final-check", "--output", str(folder))
    finally:
        for env in (ada, bob, cy):
            ztlab(env, "sandbox", "stop", check=False)

    found = bundles_by_name(folder)
    assert set(found) == {"Ada", "Bob", "Cy"}

    # Ada, holding the key, raises her score above the maximum, duplicates her lab entry and re-signs;
    # a second bundle under her name (different case) lands beside it.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    ada_bundle = json.loads(found["Ada"].read_text(encoding="utf-8"))
    raised = json.loads(json.dumps(ada_bundle))
    raised["labs"][0]["claimed"]["score"] = 99
    (tampered / "raised.json").write_text(json.dumps(resign(raised, KEY)), encoding="utf-8")
    doubled = json.loads(json.dumps(ada_bundle))
    doubled["learner"]["name"] = "ada "
    doubled["labs"].append(json.loads(json.dumps(doubled["labs"][0])))
    (tampered / "doubled.json").write_text(json.dumps(resign(doubled, KEY)), encoding="utf-8")

    instructor = learner_env(tmp_path, "instructor", workshop)
    report_json = tmp_path / "before.json"
    ztlab(instructor, "workshop", "report", str(tampered), "--json", str(report_json))
    before = {l["bundle"]: l for l in json.loads(report_json.read_text())["learners"]}
    raised_row = before[str(tampered / "raised.json")]
    assert raised_row["regrade"] == "none" and raised_row["labs"][0]["verified"] is False
    assert raised_row["score"] == MAX, "points come from the verdicts and the lab's table, never the bundle"
    assert any("claims 99 points" in w for w in raised_row["warnings"])
    assert any("2 entries for this lab" in w for w in before[str(tampered / "doubled.json")]["warnings"])

    regraded = ztlab(instructor, "workshop", "regrade", str(folder), str(tampered), "--format", "json", check=False)
    assert regraded.returncode == 1, regraded.stderr
    verdicts = {Path(v["bundle"]).name: v for v in json.loads(regraded.stdout)["bundles"]}
    ada_v = verdicts[found["Ada"].name]
    reasons = {name: " | ".join(v["reasons"]) for name, v in verdicts.items()}
    assert "identical to 'Bob'" in reasons[found["Ada"].name]
    assert "identical to 'Ada'" in reasons[found["Bob"].name]
    assert ada_v["labs"][0]["score"] == MAX and ada_v["labs"][0]["max_score"] == MAX
    assert f"claimed 99 points but the replay earns {MAX} of {MAX}" in reasons["raised.json"]
    assert "2 entries for this lab" in reasons["doubled.json"]
    assert "the same learner also submitted" in reasons["doubled.json"]
    cy_reasons = reasons[found["Cy"].name]
    cy_lab = verdicts[found["Cy"].name]["labs"][0]
    assert "control routes" in cy_reasons or cy_lab["score"] == 0, "an emptied account earns nothing"

    # After the regrade, the report shows the replay's figures for exactly those files.
    ztlab(instructor, "workshop", "report", str(tampered), "--json", str(report_json), "--csv", str(tmp_path / "c.csv"))
    after = {l["bundle"]: l for l in json.loads(report_json.read_text())["learners"]}
    assert after[str(tampered / "raised.json")]["regrade"] == "flagged"
    assert after[str(tampered / "raised.json")]["labs"][0]["verified"] is True
    assert after[str(tampered / "raised.json")]["labs"][0]["score"] == MAX
    assert set(after[str(tampered / "raised.json")]["labs"][0]["self_reported"]) >= {"minutes_spent", "hints", "checks"}
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert {r["verified"] for r in rows} == {"regraded"}
    assert "self_reported_hints" in rows[0] and "hints" not in rows[0]
    text = ztlab(instructor, "workshop", "report", str(tampered)).stdout
    assert "FLAGGED" in text and "self-reported" in text
