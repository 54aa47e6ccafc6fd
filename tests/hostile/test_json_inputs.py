"""Hostile JSON handed to ztlab: snapshots, progress backups, workshop bundles, policy files, and
numbers on the command line. Each is refused with where and what, or works, in bounded time."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ztlab.untrusted.json_input import JSONInputError, MAX_JSON_DEPTH, loads_untrusted

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

HOSTILE = {
    "binary": (b"\x00\x01\xff\xfe garbage \x89PNG", r": not a usable snapshot: is not UTF-8 text \(invalid start byte at byte 2, line 1\)"),
    "utf16": ('{"format": 1}'.encode("utf-16"), r": not a usable snapshot: is UTF-16 text; save it as UTF-8"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, rf":1:{MAX_JSON_DEPTH + 1}: .*nests deeper than {MAX_JSON_DEPTH} levels"),
    "long-number": (b'{"format": ' + b"9" * 5000 + b"}", r":1:12: .*holds a 5000-digit number"),
    "huge-float": (b'{"format": 1e400}', r":1:12: .*holds the number 1e400, too large to be a finite number"),
    "nan": (b'{"format": NaN}', r":1:12: .*holds NaN, which is not a JSON number"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_audit_snapshot_refuses_hostile_files_with_their_place(ztlab, tmp_path, case):
    data, expected = HOSTILE[case]
    file = tmp_path / "snap.json"
    file.write_bytes(data)
    result = ztlab("audit", "--snapshot", file, cpu_limit=10)
    assert result.code == 2
    assert re.search(re.escape(str(file)) + expected, result.err), result.err


@pytest.mark.parametrize("found,shown", [('"1"', '"1"'), ("2", "2"), ("true", "true"), ("null", "null")])
def test_audit_snapshot_says_which_format_it_found(ztlab, tmp_path, found, shown):
    file = tmp_path / "snap.json"
    file.write_text(f'{{"format": {found}, "account_id": "123456789012", "region": "us-east-1"}}')
    result = ztlab("audit", "--snapshot", file, cpu_limit=10)
    assert result.code == 2
    assert f'{file}: snapshot "format" is {shown}; this ztlab reads "format": 1' in result.err


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_audit_snapshot_refuses_devices_and_pipes(ztlab, tmp_path, target):
    if target == "fifo":
        target = tmp_path / "snap.json"
        os.mkfifo(target)
    result = ztlab("audit", "--snapshot", target, cpu_limit=10)
    assert result.code == 2
    assert f"{target}: not a usable snapshot: is not a regular file" in result.err


def _roles_snapshot(path: Path, count: int) -> Path:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}
    roles = [{"name": f"role{i}", "arn": f"arn:aws:iam::123456789012:role/role{i}", "trust_policy": trust}
             for i in range(count)]
    path.write_text(json.dumps({"format": 1, "account_id": "123456789012", "region": "us-east-1",
                                "iam": {"roles": roles}}))
    return path


def test_audit_of_a_20k_role_snapshot_finishes(ztlab, tmp_path):
    # > 120 s before (findings compared field by field in the text report); ~15 s of CPU now
    result = ztlab("audit", "--snapshot", _roles_snapshot(tmp_path / "snap.json", 20_000), "--check",
                   "iam_role_trust_not_public", cpu_limit=40)
    assert result.code == 0, result.err
    assert "20000 passed" in result.out


# ------------------------------------------------------------------ policy files


def test_policy_lint_refuses_a_20_mb_policy_without_reading_it(ztlab, tmp_path):
    file = tmp_path / "policy.json"
    file.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "a" * 20_000_000}]}))
    result = ztlab("policy", "lint", file, cpu_limit=5)
    assert result.code == 2
    assert re.search(re.escape(str(file)) + r": is 20,000,\d+ bytes, over the 2 MB limit", result.err), result.err


def test_policy_lint_of_a_1_mb_resource_string_works(ztlab, tmp_path):
    file = tmp_path / "policy.json"
    file.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "a*" * 500_000}]}))
    result = ztlab("policy", "lint", file, cpu_limit=15)
    assert result.code in (0, 1), result.err
    assert "1 file(s)" in result.out


def test_policy_lint_of_10k_admin_statements_is_near_linear(ztlab, tmp_path):
    file = tmp_path / "policy.json"
    statements = [{"Effect": "Allow", "Action": "*", "Resource": "*"} for _ in range(10_000)]
    file.write_text(json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1))
    # hours before (17,000 actions judged again for every statement); ~2.5 s of CPU now
    result = ztlab("policy", "lint", file, cpu_limit=15)
    assert result.code == 1
    assert re.search(r"policy\.json:\d+:\d+", result.out)
    assert "10000 errors" in result.out or "20000 errors" in result.out


@pytest.mark.parametrize("value", ["file:///dev/zero", "FIFO"])
def test_policy_file_values_refuse_devices_and_pipes(ztlab, tmp_path, value):
    if value == "FIFO":
        os.mkfifo(tmp_path / "p.json")
        value = f"file://{tmp_path / 'p.json'}"
    result = ztlab("policy", "simulate", "--policy-input-list", value, "--action-names", "s3:GetObject", cpu_limit=5)
    assert result.code == 2
    assert f"--policy-input-list: {value[len('file://'):]}: is not a regular file" in result.err


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "1e400"])
def test_lab_grade_refuses_timeouts_that_are_not_a_duration(ztlab, value):
    result = ztlab("lab", "grade", "least-privilege-s3", "--reference", "--timeout", value, cpu_limit=10)
    assert result.code == 2
    assert "Invalid value for --timeout" in result.err and "between 0 and 86400" in result.err


# ------------------------------------------------------------------ the shared guard, property-tested

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_guard_reads_every_ordinary_json_value_as_json_does(value):
    text = json.dumps(value)
    assert loads_untrusted(text, "v.json") == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('[]{}",:0123456789.eE-+ \ntruefalsnNaIiy\\')), max_size=60))
def test_the_guard_never_raises_anything_but_a_located_error(text):
    try:
        loads_untrusted(text, "v.json")
    except JSONInputError as exc:
        assert str(exc).startswith("v.json")


@pytest.mark.parametrize("body,expected", [
    (b'{"format": "ztlab-workshop-submission/1", "labs": ' + b"[" * 100_000, "nests deeper than 100 levels"),
    (b'{"format": "ztlab-workshop-submission/1", "labs": [{"score": 1e400}]}', "too large to be a finite number"),
], ids=["deep", "score-1e400"])
def test_workshop_report_lists_hostile_bundles_as_unreadable_with_their_place(ztlab, tmp_path, body, expected):
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "evil.ztlab-submission.json").write_bytes(body)
    result = ztlab("workshop", "report", folder, cpu_limit=15)
    assert result.code in (0, 1, 2)
    assert re.search(r"evil\.ztlab-submission\.json:1:\d+: .*" + re.escape(expected), result.text), result.text
