"""A small workshop, end to end, as a class would run it.

Two learners, each with their own ZTLAB_HOME and their own sandbox, work the lab
`s3-least-privilege` with the real `aws` CLI: Ada fixes it (managed policy + explicit TLS deny,
written differently from the reference), Bea makes a common mistake (read-only on every bucket)
and takes hints. Both check and submit into one folder. The report shows who passed what; the
regrade replays both and agrees; bundles tampered with by hand, with a bad signature, or edited
and re-signed with the key are all flagged.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

LAB = "s3-least-privilege"
KEY = "class-key-for-the-e2e-test-0123456789"

ADA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::nw-finance-exports",
         "Condition": {"StringLike": {"s3:prefix": "monthly/*"}}},
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::nw-finance-exports/monthly/*"]},
        {"Sid": "NoPlainHttp", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ],
}
# Common mistake: read-only, but on every bucket, and no TLS condition.
BEA_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]}


def ztlab(env: dict[str, str], *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "ztlab", *args], env=env, capture_output=True, text=True, timeout=180, cwd=cwd)
    if check and done.returncode != 0:
        raise AssertionError(f"ztlab {' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def aws_env(env: dict[str, str]) -> dict[str, str]:
    """The learner's terminal after `eval "$(ztlab sandbox env)"`."""
    exports = ztlab(env, "sandbox", "env", "--shell", "bash").stdout
    result = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    for line in exports.splitlines():
        words = shlex.split(line, comments=True)
        if len(words) == 2 and words[0] == "export":
            name, _, value = words[1].partition("=")
            result[name] = value
        elif len(words) == 2 and words[0] == "unset":
            result.pop(words[1], None)
    return result


def aws(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["aws", *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"aws {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def learner_env(tmp_path: Path, name: str, workshop: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ZTLAB_"))}
    env.update(ZTLAB_HOME=str(tmp_path / f"home-{name}"), ZTLAB_WORKSHOP=str(workshop), NO_COLOR="1")
    return env


def resign(bundle: dict, key: str) -> dict:
    body = {k: v for k, v in bundle.items() if k != "signature"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return {**body, "signature": {"algorithm": "HMAC-SHA256", "value": hmac.new(key.encode(), canonical, hashlib.sha256).hexdigest()}}


@pytest.mark.skipif(not any((Path(p) / "aws").exists() for p in os.environ.get("PATH", "").split(os.pathsep)),
                    reason="the aws CLI is not installed")
def test_two_learners_submit_and_the_instructor_reports_and_regrades(tmp_path: Path) -> None:
    workshop = tmp_path / "class.yaml"
    workshop.write_text(f"""\
title: Northwind zero-trust afternoon
key: "{KEY}"
items:
  - {{lesson: least-privilege, minutes: 15}}
  - {{lab: {LAB}, minutes: 20}}
decks: [least-privilege]
""", encoding="utf-8")
    submissions = tmp_path / "submissions"
    ada, bea = learner_env(tmp_path, "ada", workshop), learner_env(tmp_path, "bea", workshop)
    try:
        for env, name in ((ada, "Ada Lovelace"), (bea, "Bea Smith")):
            ztlab(env, "workshop", "join", name)
            ztlab(env, "lab", "start", LAB)
        ada_aws, bea_aws = aws_env(ada), aws_env(bea)
        assert ada_aws["AWS_ENDPOINT_URL"] != bea_aws["AWS_ENDPOINT_URL"], "each learner has their own sandbox"

        # Ada: looks around, checks once too early, then replaces the inline policy with a managed one.
        assert "job-access" in aws(ada_aws, "iam", "list-role-policies", "--role-name", "report-builder")
        assert ztlab(ada, "lab", "check", check=False).returncode == 1
        aws(ada_aws, "iam", "delete-role-policy", "--role-name", "report-builder", "--policy-name", "job-access")
        created = json.loads(aws(ada_aws, "iam", "create-policy", "--policy-name", "report-builder-read",
                                 "--policy-document", json.dumps(ADA_POLICY)))
        aws(ada_aws, "iam", "attach-role-policy", "--role-name", "report-builder", "--policy-arn", created["Policy"]["Arn"])
        assert ztlab(ada, "lab", "check").returncode == 0

        # Bea: the common mistake, two hints, two failed checks.
        policy_file = tmp_path / "bea-policy.json"
        policy_file.write_text(json.dumps(BEA_POLICY), encoding="utf-8")
        aws(bea_aws, "iam", "put-role-policy", "--role-name", "report-builder", "--policy-name", "job-access",
            "--policy-document", f"file://{policy_file}")
        assert ztlab(bea, "lab", "check", check=False).returncode == 1
        ztlab(bea, "lab", "hint", LAB, "only-the-monthly-prefix")
        ztlab(bea, "lab", "hint", LAB, "only-the-monthly-prefix")

        # Ada submits her last check as it stands; Bea's submit checks her lab once more first.
        assert "Wrote" in ztlab(ada, "workshop", "submit", "--no-final-check", "--output", str(submissions)).stdout
        assert "Checked" in ztlab(bea, "workshop", "submit", "--output", str(submissions)).stdout
    finally:
        for env in (ada, bea):
            ztlab(env, "sandbox", "stop", check=False)

    bundles = {json.loads(p.read_text())["learner"]["name"]: p for p in submissions.glob("*.json")}
    assert set(bundles) == {"Ada Lovelace", "Bea Smith"}
    bea_lab = json.loads(bundles["Bea Smith"].read_text())["labs"][0]
    assert bea_lab["hints"] == 2 and bea_lab["failed_checks"] == 2  # her check and the one at submit
    assert bea_lab["state_changing_calls"] == 1
    ada_lab = json.loads(bundles["Ada Lovelace"].read_text())["labs"][0]
    assert [c["passed"] for c in ada_lab["check_history"]] == [False, True]

    # The instructor's report: learners by objectives, pass rates, exports.
    instructor = learner_env(tmp_path, "instructor", workshop)
    csv_file, json_file = tmp_path / "class.csv", tmp_path / "class.json"
    report = ztlab(instructor, "workshop", "report", str(submissions), "--csv", str(csv_file), "--json", str(json_file))
    assert "Ada Lovelace" in report.stdout and "Bea Smith" in report.stdout
    data = json.loads(json_file.read_text())
    by_name = {l["name"]: l for l in data["learners"]}
    assert by_name["Ada Lovelace"]["labs"][0]["passed"] is True
    assert by_name["Ada Lovelace"]["signature"] == "ok"
    bea_status = by_name["Bea Smith"]["labs"][0]["objectives"]
    assert bea_status == {"reads-monthly-exports": "PASS", "no-writes-or-admin": "PASS",
                          "only-the-monthly-prefix": "FAIL", "tls-only": "FAIL", "exactly-the-job": "FAIL",
                          "nothing-new-is-insecure": "PASS"}
    rates = {o["objective"]: (o["passed"], o["learners"]) for o in data["objectives"]}
    assert rates["only-the-monthly-prefix"] == (1, 2) and rates["no-writes-or-admin"] == (2, 2)
    rows = list(csv.DictReader(csv_file.open(encoding="utf-8")))
    assert len(rows) == 2 * 6
    assert {r["status"] for r in rows if r["learner"] == "Ada Lovelace"} == {"PASS"}

    # Tampering: a hand-edited claim (signature now wrong), a broken signature, and an edit
    # re-signed with the key (what a learner holding the workshop file could do).
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    bea_bundle = json.loads(bundles["Bea Smith"].read_text())
    edited = json.loads(json.dumps(bea_bundle))
    edited["labs"][0]["claimed"]["objectives"] = {k: "PASS" for k in edited["labs"][0]["claimed"]["objectives"]}
    edited["labs"][0]["claimed"]["passed"] = True
    (tampered / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    bad_signature = json.loads(bundles["Ada Lovelace"].read_text())
    bad_signature["signature"]["value"] = "0" * 64
    (tampered / "bad-signature.json").write_text(json.dumps(bad_signature), encoding="utf-8")
    (tampered / "edited-and-resigned.json").write_text(json.dumps(resign(edited, KEY)), encoding="utf-8")

    # The honest pair regrades clean; the tampered copies, regraded on their own (mixed in, they would
    # also flag the originals as second bundles of the same learners), are all flagged.
    regraded = ztlab(instructor, "workshop", "regrade", str(submissions), "--format", "json", check=False)
    assert regraded.returncode == 0, regraded.stdout + regraded.stderr
    honest = json.loads(regraded.stdout)["bundles"]
    for verdict in honest:
        assert verdict["flagged"] is False and verdict["signature"] == "ok", verdict["reasons"]
    replayed = {v["learner"]: v["labs"][0]["replayed"] for v in honest}
    assert set(replayed["Ada Lovelace"].values()) == {"PASS"}
    assert replayed["Bea Smith"] == bea_status

    regraded = ztlab(instructor, "workshop", "regrade", str(tampered), "--format", "json", check=False)
    assert regraded.returncode == 1, regraded.stdout + regraded.stderr
    verdicts = {Path(v["bundle"]).name: v for v in json.loads(regraded.stdout)["bundles"]}
    assert len(verdicts) == 3
    flagged = {name: v for name, v in verdicts.items() if Path(v["bundle"]).parent == tampered}
    assert all(v["flagged"] for v in flagged.values()) and len(flagged) == 3
    assert flagged["bad-signature.json"]["signature"] == "bad"
    assert flagged["edited.json"]["signature"] == "bad"
    assert any("claimed PASS but the replay gives FAIL" in r for r in flagged["edited.json"]["reasons"])
    # Re-signed with the key: the signature holds, the replay still tells the truth.
    resigned = flagged["edited-and-resigned.json"]
    assert resigned["signature"] == "ok"
    assert any("'tls-only' claimed PASS but the replay gives FAIL" in r for r in resigned["reasons"])
