"""The access explorer's questions come from the lab itself (its requests, the resources and roles
its objectives name, the resources its variant names denote) and are answered over a real moto
account; another account's resources are left out."""

from __future__ import annotations

import json

import pytest

from tests.audit.conftest import moto_endpoint, reset  # noqa: F401  (the one moto server fixture)

pytestmark = [pytest.mark.server]


@pytest.fixture
def course():
    from ztlab.content import load_course_or_raise

    return load_course_or_raise()


@pytest.fixture
def lab_account(moto_endpoint, course):  # noqa: F811
    """s3-least-privilege's starting point in one variant, plus a bucket only a variant name denotes."""
    from ztlab.labs.variants import pick_variant
    from ztlab.sandbox import SandboxClients
    from ztlab.snapshot import read_snapshot

    reset(moto_endpoint)
    clients = SandboxClients(moto_endpoint, "us-east-1")
    lab = course.labs["s3-least-privilege"]
    names = {"account": "123456789012", "region": "us-east-1", **pick_variant(lab, "learner-7"),
             "archive_bucket": "nw-cold-archive"}
    s3, iam = clients.client("s3"), clients.client("iam")
    for bucket in (names["exports_bucket"], names["payroll_bucket"], "nw-cold-archive"):
        s3.create_bucket(Bucket=bucket)
    iam.create_role(RoleName="report-builder", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="report-builder", PolicyName="job-access", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    return lab, read_snapshot(clients, region="us-east-1"), names


def test_the_lab_names_its_resources_and_actions(lab_account):
    from ztlab.labs.access_view import key_resources

    lab, snapshot, names = lab_account
    exports, payroll = names["exports_bucket"], names["payroll_bucket"]
    keys = dict(key_resources(lab, snapshot, names))
    # the access requests, with exactly their actions
    assert keys[f"arn:aws:s3:::{exports}/monthly/2026-10.csv"] == ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    assert keys[f"arn:aws:s3:::{payroll}"] == ["s3:ListBucket"]
    assert keys["arn:aws:iam::123456789012:role/report-builder"] == ["iam:PutRolePolicy"]
    # a bucket only a variant name denotes: the read / write / take-over actions of a bucket
    assert keys["arn:aws:s3:::nw-cold-archive"] == ["s3:ListBucket", "s3:PutBucketPolicy", "s3:DeleteBucket"]
    assert list(keys)[0] == f"arn:aws:s3:::{exports}/monthly/2026-10.csv"  # the order the lab brings them up


def test_who_can_answers_over_the_account(lab_account):
    from ztlab.labs.access_view import explore, short_principal

    lab, snapshot, names = lab_account
    rows = {row.resource: row for row in explore(lab, snapshot, names)}
    payroll = rows[f"arn:aws:s3:::{names['payroll_bucket']}/2026/october.csv"]
    who = {short_principal(g, snapshot.account_id) for g in payroll.by_action()["s3:GetObject"]}
    assert "role/report-builder" in who  # s3:* on *: the job reads the payroll, the explorer says so
    assert not any(g.kind in ("anonymous", "outsider") for g in payroll.grants)


def test_another_accounts_resources_are_left_out(course, lab_account):
    from ztlab.labs.access_view import key_resources

    _lab, snapshot, _names = lab_account
    lab = course.labs["cross-account-trust"]
    from ztlab.labs.variants import pick_variant

    keys = key_resources(lab, snapshot, {"account": snapshot.account_id, "region": "us-east-1", **pick_variant(lab, None)})
    assert keys and all(r.split(":")[4] in ("", snapshot.account_id) for r, _ in keys)
