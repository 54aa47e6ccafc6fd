"""s3_bucket_requires_tls over bucket policies written the ways learners and scanners get wrong."""

from __future__ import annotations

import json

import pytest

from ztlab.checks import get_check
from ztlab.snapshot.model import AccountSnapshot, S3Bucket, S3Section

ACCOUNT = "123456789012"
BUCKET = "ledger-exports"
ARN = f"arn:aws:s3:::{BUCKET}"


def verdict(policy) -> tuple[str, str]:
    text = policy if policy is None or isinstance(policy, str) else json.dumps(policy)
    snapshot = AccountSnapshot(account_id=ACCOUNT, region="us-east-1",
                               s3=S3Section(buckets=[S3Bucket(name=BUCKET, arn=ARN, policy=text)]))
    [finding] = get_check("s3_bucket_requires_tls").run(snapshot)
    return finding.status, finding.message


def deny(**overrides):
    statement = {"Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": [ARN, f"{ARN}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    statement.update(overrides)
    return {"Version": "2012-10-17", "Statement": [statement]}


PASSING = {
    "string-false": deny(),
    "json-boolean-false": deny(Condition={"Bool": {"aws:SecureTransport": False}}),
    "list-false": deny(Condition={"Bool": {"aws:SecureTransport": ["false"]}}),
    "aws-star-principal-and-two-statements": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": ARN,
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*", "Resource": f"{ARN}/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "s3:GetObject",
         "Resource": f"{ARN}/*"}]},
    "tls-version-deny-beside": {"Version": "2012-10-17", "Statement": deny()["Statement"] + [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": f"{ARN}/*",
         "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}}}]},
}

FAILING = {
    "no-policy": None,
    "deny-putobject-only": deny(Action="s3:PutObject"),
    "deny-bucket-arn-only": deny(Resource=ARN),
    "deny-objects-only": deny(Resource=f"{ARN}/*"),
    "another-bucket": deny(Resource=["arn:aws:s3:::other-bucket", "arn:aws:s3:::other-bucket/*"]),
    "allow-if-tls": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": [ARN, f"{ARN}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]},
    # The documented way to exempt a user with NotPrincipal names the user and its account.
    "not-principal-exempts-a-user": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "NotPrincipal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/legacy-batch", f"arn:aws:iam::{ACCOUNT}:root"]}, "Action": "s3:*",
         "Resource": [ARN, f"{ARN}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
    "condition-exempts-a-role": deny(Condition={"Bool": {"aws:SecureTransport": "false"},
                                                "StringNotEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/legacy-batch"}}),
    "condition-exempts-an-office-range": deny(Condition={"Bool": {"aws:SecureTransport": "false"},
                                                         "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
    "one-principal-only": deny(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
}


@pytest.mark.parametrize("name", sorted(PASSING))
def test_complete_tls_denials_pass(name):
    status, message = verdict(PASSING[name])
    assert status == "PASS", message


@pytest.mark.parametrize("name", sorted(FAILING))
def test_incomplete_tls_denials_fail(name):
    status, message = verdict(FAILING[name])
    assert status == "FAIL", message
    assert BUCKET in message


def test_a_policy_that_is_not_json_is_unknown_with_the_reason():
    # Real S3 refuses such a policy; moto stores it. Nothing can be said about what it denies.
    status, message = verdict("{not json")
    assert status == "UNKNOWN"
    assert "invalid JSON" in message and BUCKET in message
