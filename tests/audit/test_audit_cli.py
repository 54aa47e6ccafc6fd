"""`ztlab audit` end to end: a real moto server, resources made with boto3, the CLI run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest



# One worker builds the lab account once and every test here reuses it.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("ztlab-audit-moto")]


def ztlab(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "ztlab", "audit", *args], capture_output=True, text=True, timeout=timeout, env=full_env)


def by(report: dict, check: str) -> dict[str, str]:
    return {f["resource"]: f["status"] for f in report["findings"] if f["check_id"] == check}


@pytest.fixture(scope="module")
def audited(lab, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    """The live lab account audited once as JSON by a subprocess, with the snapshot saved for offline re-runs."""
    clients, ids, _ = lab
    snapshot = tmp_path_factory.mktemp("audit") / "snap.json"
    result = ztlab("--endpoint-url", clients.endpoint_url, "--format", "json", "--save-snapshot", str(snapshot))
    assert result.returncode == 1, result.stderr  # the lab account has failures
    return json.loads(result.stdout), ids, snapshot


def cli(*args: str):
    """In-process run for the cheap cases (usage errors, offline reports)."""
    from click.testing import CliRunner

    from ztlab.cli.main import cli as main

    return CliRunner().invoke(main, ["audit", *args], env={"NO_COLOR": "1"})


def test_json_audit_of_a_live_account(audited) -> None:
    report, ids, _ = audited
    assert report["account"] == "123456789012"
    assert set(report["findings"][0]) == {"check_id", "title", "principle", "severity", "status", "resource", "message", "evidence"}
    tls = by(report, "s3_bucket_requires_tls")
    assert tls["arn:aws:s3:::zt-secure"] == "PASS"
    assert tls["arn:aws:s3:::zt-putonly"] == "FAIL"
    assert tls["arn:aws:s3:::zt-broken"] == "UNKNOWN"
    assert by(report, "s3_bucket_policy_not_public")["arn:aws:s3:::zt-public"] == "FAIL"
    sg = lambda gid: f"arn:aws:ec2:us-east-1:123456789012:security-group/{gid}"  # noqa: E731
    ssh = by(report, "ec2_sg_no_world_ssh")
    assert ssh[sg(ids["ssh"])] == "FAIL" and ssh[sg(ids["web"])] == "PASS"
    assert by(report, "ec2_sg_data_tier_not_exposed_to_internet_tier")[sg(ids["db"])] == "PASS"
    assert by(report, "iam_policy_no_full_admin")[ids["admin"]] == "FAIL"
    assert by(report, "iam_policy_no_full_admin")[ids["reader"]] == "PASS"
    trust = by(report, "iam_role_cross_account_requires_external_id")
    assert trust["arn:aws:iam::123456789012:role/partner"] == "FAIL"
    assert trust["arn:aws:iam::123456789012:role/partner-safe"] == "PASS"
    rotation = {r.rsplit("/", 1)[-1]: s for r, s in by(report, "kms_key_rotation_enabled").items()}
    assert rotation[ids["rotating"]] == "PASS" and rotation[ids["static"]] == "FAIL"
    failing = next(f for f in report["findings"] if f["check_id"] == "s3_bucket_requires_tls" and f["status"] == "FAIL")
    assert failing["evidence"]["request"]["action"] and failing["evidence"]["decision"] != "explicitDeny"


def test_offline_audit_filters_and_exit_codes(audited) -> None:
    _, _, snapshot = audited
    passing = cli("--snapshot", str(snapshot), "--check", "s3_bucket_requires_tls", "--scope", "zt-secure", "--format", "json")
    assert passing.exit_code == 0, passing.output
    assert [f["status"] for f in json.loads(passing.stdout)["findings"]] == ["PASS"]
    failing = cli("--snapshot", str(snapshot), "--principle", "micro-segmentation", "--severity", "high")
    assert failing.exit_code == 1
    assert "Security groups do not allow SSH" in failing.stdout and "\x1b[" not in failing.stdout
    assert "S3 bucket policies deny" not in failing.stdout  # filtered out by principle


def test_sarif_and_junit(audited, tmp_path: Path) -> None:
    _, _, snapshot = audited
    sarif_file = tmp_path / "out.sarif"
    result = cli("--snapshot", str(snapshot), "--format", "sarif", "--output", str(sarif_file))
    assert result.exit_code == 1 and "report written" in result.stderr
    sarif = json.loads(sarif_file.read_text())
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"s3_bucket_requires_tls", "ec2_sg_no_world_ssh"}
    assert any(r["kind"] == "fail" and r["level"] in ("error", "warning", "note") for r in run["results"])
    junit = cli("--snapshot", str(snapshot), "--format", "junit", "--check", "ec2_sg_no_world_ssh")
    root = ET.fromstring(junit.stdout)
    assert int(root.get("failures")) >= 1 and root.find("testsuite").get("name") == "ec2_sg_no_world_ssh"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    unknown = cli("--snapshot", "nowhere.json", "--check", "s3_bucket_require_tls")
    assert unknown.exit_code == 2 and "did you mean" in unknown.stderr.lower()
    missing = cli("--snapshot", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 2 and "nowhere.json" in missing.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    bad = ztlab("--snapshot", str(garbage))  # a real process: the user must see a message, not a traceback
    assert bad.returncode == 2 and "garbage.json:1:" in bad.stderr and "Traceback" not in bad.stderr
    refused = cli("--endpoint-url", "https://s3.amazonaws.com")
    assert refused.exit_code == 2 and "refusing endpoint" in refused.stderr
    dead = cli("--endpoint-url", "http://127.0.0.1:9")
    assert dead.exit_code == 2 and "answers at http://127.0.0.1:9" in dead.stderr
    nothing = cli()
    assert nothing.exit_code == 2 and "ztlab sandbox start" in nothing.stderr


def test_check_catalogue_lists_every_check() -> None:
    result = cli("checks", "--format", "json")
    catalogue = json.loads(result.stdout)
    assert result.exit_code == 0 and len(catalogue) >= 40
    assert {"id", "title", "principle", "severity", "rationale", "remediation", "controls"} <= set(catalogue[0])
    listed = cli("--list")
    assert "s3_bucket_requires_tls" in listed.stdout
