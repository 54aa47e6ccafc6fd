"""Reading a real moto account into a snapshot: contents, isolation of failures, JSON round trip."""

from __future__ import annotations

import json

import pytest

from ztlab.sandbox import SandboxClients
from ztlab.snapshot import AccountSnapshot, SnapshotError, read_snapshot


# One worker builds the lab account once and every test here reuses it.
pytestmark = [pytest.mark.server, pytest.mark.xdist_group("ztlab-audit-moto")]


def test_snapshot_reads_the_lab_account(lab) -> None:
    _, ids, path = lab
    snap = AccountSnapshot.load(path)
    assert snap.account_id == "123456789012"
    assert {b.name for b in snap.s3.buckets} >= {"zt-secure", "zt-putonly", "zt-public", "zt-broken"}
    secure = snap.s3.bucket("zt-secure")
    assert json.loads(secure.policy)["Statement"][0]["Condition"]["Bool"]["aws:SecureTransport"] is False  # verbatim, a JSON boolean
    assert {g["GroupId"] for g in snap.ec2.security_groups} >= {ids["web"], ids["app"], ids["db"], ids["ssh"]}
    assert snap.iam.policy(ids["admin"]).document["Statement"][0]["Action"] == "*"
    roles = {r.name: r for r in snap.iam.roles}
    assert roles["partner"].trust_policy["Statement"][0]["Principal"]["AWS"] == "arn:aws:iam::111122223333:root"
    keys = {k.key_id: k for k in snap.kms.keys}
    assert keys[ids["rotating"]].rotation_enabled is True and keys[ids["static"]].rotation_enabled is False
    assert keys[ids["static"]].policy
    assert snap.s3.account_public_access_block is None and "account_public_access_block" not in snap.s3.errors


def test_save_and_load_round_trip(lab, tmp_path) -> None:
    _, _, path = lab
    snap = AccountSnapshot.load(path)
    again = AccountSnapshot.load(snap.save(tmp_path / "copy.json"))
    assert again == snap


def test_one_unreachable_service_does_not_hide_the_rest(endpoint) -> None:
    good = SandboxClients(endpoint, "us-east-1")
    good.client("s3").create_bucket(Bucket="still-read")
    dead = SandboxClients("http://127.0.0.1:9", "us-east-1")  # nothing listens on the discard port

    def factory(service: str):
        return dead.client(service) if service in ("guardduty", "cloudtrail") else good.client(service)

    snap = read_snapshot(factory, region="us-east-1")
    assert snap.guardduty.error and snap.cloudtrail.error
    assert "still-read" in {b.name for b in snap.s3.buckets}
    assert ("guardduty", snap.guardduty.error) in snap.unreadable()


def test_loading_a_bad_file_says_what_and_where(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"account_id": "1", "region": ', encoding="utf-8")
    try:
        AccountSnapshot.load(bad)
    except SnapshotError as exc:
        assert "bad.json:1:" in str(exc) and "not valid JSON" in str(exc)
    else:
        raise AssertionError("a truncated snapshot loaded")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"account_id": 5, "region": "us-east-1", "iam": {"users": [{"name": 1}]}}', encoding="utf-8")
    try:
        AccountSnapshot.load(wrong)
    except SnapshotError as exc:
        assert "not a ztlab snapshot" in str(exc)
    else:
        raise AssertionError("a malformed snapshot loaded")


def test_services_the_backend_lacks_are_recorded_not_called() -> None:
    called: list[str] = []

    def offline(service: str):
        called.append(service)
        raise RuntimeError("no network in this test")

    snap = read_snapshot(offline, region="eu-west-1", unavailable={"cloudtrail": "LocalStack community does not emulate CloudTrail"})
    assert snap.cloudtrail.error == "LocalStack community does not emulate CloudTrail"
    assert "cloudtrail" not in called
    assert snap.s3.error == "RuntimeError: no network in this test" and snap.region == "eu-west-1"
    from ztlab.checks import get_check

    [finding] = get_check("cloudtrail_multi_region_enabled").run(snap)
    assert finding.status == "UNKNOWN" and "CloudTrail" in finding.message
