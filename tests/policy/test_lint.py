"""`ztlab policy lint`: located zero-trust findings, none hidden by another."""

from __future__ import annotations

import json
import subprocess
import sys

from ztlab.policy.lint import lint_document, lint_text

BUCKET = "arn:aws:s3:::reports"
TLS_DENY = {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, BUCKET + "/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
READ_FOR_ACCOUNT = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
                    "Resource": BUCKET + "/*"}


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def codes(findings):
    return sorted(f.code for f in findings)


def test_an_unknown_action_never_hides_other_findings():
    findings = lint_document(policy(
        {"Effect": "Allow", "Action": ["s3:GetObjekt", "*"], "Resource": "*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "ec2:DescribeInstancez", "Resource": "*"}), name="p.json")
    assert codes(findings).count("unknown-action") == 2
    assert {"wildcard-action", "allow-not-action"} <= set(codes(findings))
    unknown = next(f for f in findings if "GetObjekt" in f.message)
    assert unknown.pointer == "/Statement/0/Action/0" and unknown.line and unknown.column
    assert unknown.fix == "did you mean s3:GetObject?"


def test_a_broken_statement_never_hides_the_others():
    text = json.dumps(policy(
        {"Effect": "Permit", "Action": "s3:GetObjekt", "Resource": "*"},
        {"Effect": "Allow", "Action": "*", "Resource": "*"}), indent=2)
    findings = lint_text(text, name="p.json")
    assert {"invalid-policy", "unknown-action", "wildcard-action"} <= set(codes(findings))
    invalid = next(f for f in findings if f.code == "invalid-policy")
    assert invalid.pointer == "/Statement/0/Effect" and invalid.line == 5


def test_every_finding_is_located_and_has_a_fix():
    findings = lint_document(policy(
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, BUCKET + "/*"],
         "Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.0/24"}, "StringLike": {"aws:TagKeys": "a*"}}}))
    assert findings
    for finding in findings:
        assert finding.pointer.startswith("/Statement") and finding.line and finding.column, finding
        assert finding.fix, finding


def test_invalid_json_is_one_located_finding():
    [finding] = lint_text('{"Version": "2012-10-17",\n "Statement": [}', name="p.json")
    assert (finding.code, finding.line) == ("invalid-json", 2)


def test_tls_requirement_is_checked_with_the_engine():
    assert "s3-tls-not-required" not in codes(lint_document(policy(READ_FOR_ACCOUNT, TLS_DENY)))
    json_false = dict(TLS_DENY, Condition={"Bool": {"aws:SecureTransport": False}})
    assert "s3-tls-not-required" not in codes(lint_document(policy(READ_FOR_ACCOUNT, json_false)))
    as_list = dict(TLS_DENY, Condition={"Bool": {"aws:SecureTransport": ["false"]}})
    assert "s3-tls-not-required" not in codes(lint_document(policy(READ_FOR_ACCOUNT, as_list)))
    for too_narrow in (dict(TLS_DENY, Action="s3:PutObject"),
                       dict(TLS_DENY, Principal={"AWS": "arn:aws:iam::111122223333:root"}),
                       dict(TLS_DENY, Resource=["arn:aws:s3:::other", "arn:aws:s3:::other/*"]),
                       dict(TLS_DENY, Effect="Allow", Condition={"Bool": {"aws:SecureTransport": "true"}})):
        assert "s3-tls-not-required" in codes(lint_document(policy(READ_FOR_ACCOUNT, too_narrow))), too_narrow


def test_partial_wildcards_are_not_full_wildcards():
    found = codes(lint_document(policy({"Effect": "Allow", "Action": "s3:Get*", "Resource": BUCKET + "/*"})))
    assert found == []


def test_public_principal_needs_a_narrowing_condition():
    public = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET + "/*"}
    assert "public-principal" in codes(lint_document(policy(public, TLS_DENY)))
    org = dict(public, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})
    assert "public-principal" not in codes(lint_document(policy(org, TLS_DENY)))
    negated = dict(public, Condition={"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}})
    assert "public-principal" in codes(lint_document(policy(negated, TLS_DENY)))
    irrelevant = dict(public, Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert "public-principal" in codes(lint_document(policy(irrelevant, TLS_DENY)))


def test_condition_types_and_set_operators():
    found = lint_document(policy({"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {
        "StringEquals": {"aws:MultiFactorAuthPresent": "true"},
        "IpAddress": {"aws:PrincipalArn": "10.0.0.0/8"},
        "ForAllValues:StringEquals": {"aws:TagKeys": ["env"]},
        "ForAnyValue:Bool": {"aws:SecureTransport": "true"}}}))
    mismatches = [f for f in found if f.code == "condition-type-mismatch"]
    assert {f.pointer.rsplit("/", 1)[1] for f in mismatches} == {"aws:MultiFactorAuthPresent", "aws:PrincipalArn"}
    assert {"forallvalues-allow-absent-key", "set-operator-single-valued"} <= set(codes(found))


def test_unknown_condition_keys():
    found = lint_document(policy({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET, "Condition": {
        "StringLike": {"s3:prefx": "home/*", "aws:SourceIpp": "x", "s3:prefix": "home/*"}}}))
    flagged = {f.pointer.rsplit("/", 1)[1] for f in found if f.code == "unknown-condition-key"}
    assert flagged == {"s3:prefx", "aws:SourceIpp"}


def test_trust_policies():
    github = policy({"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
                     "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}})
    assert "oidc-trust-without-subject" in codes(lint_document(github))
    cross = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"})
    assert "trust-without-mfa-or-external-id" in codes(lint_document(cross))
    with_id = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
                      "Condition": {"StringEquals": {"sts:ExternalId": "x-1"}}})
    assert codes(lint_document(with_id)) == []


def test_cli_exit_codes_and_json(tmp_path):
    (tmp_path / "clean.json").write_text(json.dumps(policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": BUCKET + "/*"})))
    (tmp_path / "loose.json").write_text(json.dumps(policy({"Effect": "Allow", "Action": "s3:*", "Resource": BUCKET + "/*"}), indent=2))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "ztlab", "policy", "lint", *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
    clean = run("clean.json")
    assert clean.returncode == 0 and "no findings" in clean.stdout
    loose = run("clean.json", "loose.json", "--output", "json")
    assert loose.returncode == 1
    [finding] = [f for f in json.loads(loose.stdout)["Findings"] if f["Severity"] != "info"]
    assert finding["Code"] == "service-wildcard-action" and finding["File"] == "loose.json"
    assert (finding["Pointer"], finding["Line"]) == ("/Statement/0/Action", 6)
    from click.testing import CliRunner

    from ztlab.cli.main import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["policy", "lint", str(tmp_path / "loose.json"), "--fail-on", "error"]).exit_code == 0
    assert runner.invoke(cli, ["policy", "lint", str(tmp_path / "loose.json"), "--fail-on", "info"]).exit_code == 1
    assert runner.invoke(cli, ["policy", "lint", str(tmp_path / "missing.json")]).exit_code == 2


def test_pass_role_on_every_role():
    loose = policy({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"})
    assert "pass-any-role" in codes(lint_document(loose))
    scoped = policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-*",
                     "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}})
    assert "pass-any-role" not in codes(lint_document(scoped))
