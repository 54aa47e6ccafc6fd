"""IAM: privilege, trust and MFA questions answered by the policy engine; root and user credentials."""

from __future__ import annotations

import pytest

from tests.checks.helpers import ACCOUNT, Case, policy, snap, verify

P_ARN = f"arn:aws:iam::{ACCOUNT}:policy/lab"


def managed(doc) -> object:
    return snap(iam={"policies": [{"arn": P_ARN, "name": "lab", "document": doc}]})


ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}
MFA_TRUE = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}

CASES = [
    # ---- *:* admin
    Case("iam_policy_no_full_admin", "star", managed(policy(ALLOW_ALL)), {P_ARN: "FAIL"}, evidence_keys=("request",)),
    Case("iam_policy_no_full_admin", "star-colon-star-in-lists", managed(policy({"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_full_admin", "narrow-deny-does-not-erase",
         managed(policy(ALLOW_ALL, {"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_full_admin", "irrelevant-condition-does-not-erase",
         managed(policy({**ALLOW_ALL, "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_full_admin", "mfa-condition-still-admin", managed(policy({**ALLOW_ALL, "Condition": MFA_TRUE})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_full_admin", "deny-everything-but-s3",
         managed(policy(ALLOW_ALL, {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"})), {P_ARN: "PASS"}),
    Case("iam_policy_no_full_admin", "service-wildcard-is-not-admin", managed(policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})),
         {P_ARN: "PASS"}),
    Case("iam_policy_no_full_admin", "star-on-one-bucket", managed(policy({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"})),
         {P_ARN: "PASS"}),
    Case("iam_policy_no_full_admin", "aws-managed-ignored",
         snap(iam={"policies": [{"arn": "arn:aws:iam::aws:policy/AdministratorAccess", "name": "AdministratorAccess", "aws_managed": True,
                                 "document": policy(ALLOW_ALL)}]}), {"*": "NOT_APPLICABLE"}),
    Case("iam_policy_no_full_admin", "inline-on-role",
         snap(iam={"roles": [{"name": "ops", "arn": f"arn:aws:iam::{ACCOUNT}:role/ops", "inline_policies": {"all": policy(ALLOW_ALL)}}]}),
         {"role/ops": "FAIL"}),
    Case("iam_policy_no_full_admin", "unreadable-document",
         snap(iam={"policies": [{"arn": P_ARN, "name": "lab", "document": None, "errors": {"document": "NoSuchEntity"}}]}), {P_ARN: "UNKNOWN"}),
    Case("iam_policy_no_full_admin", "invalid-document", managed(policy({"Effect": "Allow", "Action": "*"})), {P_ARN: "UNKNOWN"}),
    # ---- service-wide wildcards
    Case("iam_policy_no_service_wildcard", "s3-star", managed(policy({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})),
         {P_ARN: "FAIL"}, message_contains="s3:*"),
    Case("iam_policy_no_service_wildcard", "upper-case-service", managed(policy({"Effect": "Allow", "Action": "S3:*", "Resource": "*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_service_wildcard", "question-marks", managed(policy({"Effect": "Allow", "Action": "ec2:?*", "Resource": "*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_service_wildcard", "get-star-is-fine", managed(policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"})),
         {P_ARN: "PASS"}),
    Case("iam_policy_no_service_wildcard", "named-actions", managed(policy({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"})),
         {P_ARN: "PASS"}),
    Case("iam_policy_no_service_wildcard", "unknown-service-beside-real-wildcard",
         managed(policy({"Effect": "Allow", "Action": ["notaservice:*", "dynamodb:*"], "Resource": "*"})), {P_ARN: "FAIL"},
         message_contains="dynamodb:*"),
    Case("iam_policy_no_service_wildcard", "unknown-action-does-not-hide-others",
         managed(policy({"Effect": "Allow", "Action": ["s3:GetObjekt", "ec2:*"], "Resource": "*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_service_wildcard", "wildcard-only-in-deny", managed(policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})), {P_ARN: "PASS"}),
    Case("iam_policy_no_service_wildcard", "not-action-allow", managed(policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})), {P_ARN: "FAIL"}),
    # ---- decrypt with any key
    Case("iam_policy_no_kms_decrypt_all_keys", "star", managed(policy({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_kms_decrypt_all_keys", "all-keys-in-account",
         managed(policy({"Effect": "Allow", "Action": "kms:*", "Resource": f"arn:aws:kms:*:{ACCOUNT}:key/*"})), {P_ARN: "FAIL"}),
    Case("iam_policy_no_kms_decrypt_all_keys", "one-key",
         managed(policy({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234"})), {P_ARN: "PASS"}),
    Case("iam_policy_no_kms_decrypt_all_keys", "encrypt-only", managed(policy({"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"})), {P_ARN: "PASS"}),
]

# ---- trust policies
ROLE = f"arn:aws:iam::{ACCOUNT}:role/partner"


def role(trust: dict, **kw) -> object:
    return snap(iam={"roles": [{"name": "partner", "arn": ROLE, "trust_policy": trust, **kw}]})


def trust(principal, condition=None) -> dict:
    st = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if condition:
        st["Condition"] = condition
    return policy(st)


PARTNER = {"AWS": "arn:aws:iam::111122223333:root"}
EXT = {"StringEquals": {"sts:ExternalId": "agreed-42"}}
BOTH = {"StringEquals": {"sts:ExternalId": "agreed-42"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}
CASES += [
    Case("iam_role_cross_account_requires_external_id", "missing", role(trust(PARTNER)), {ROLE: "FAIL"}, evidence_keys=("request",)),
    Case("iam_role_cross_account_requires_external_id", "present", role(trust(PARTNER, EXT)), {ROLE: "PASS"}),
    Case("iam_role_cross_account_requires_external_id", "account-id-form", role(trust({"AWS": "111122223333"}, EXT)), {ROLE: "PASS"}),
    Case("iam_role_cross_account_requires_external_id", "if-exists-is-optional",
         role(trust(PARTNER, {"StringEqualsIfExists": {"sts:ExternalId": "agreed-42"}})), {ROLE: "FAIL"}),
    Case("iam_role_cross_account_requires_external_id", "partner-role", role(trust({"AWS": "arn:aws:iam::111122223333:role/deployer"})), {ROLE: "FAIL"}),
    Case("iam_role_cross_account_requires_external_id", "service-only", role(trust({"Service": "ec2.amazonaws.com"})), {ROLE: "NOT_APPLICABLE"}),
    Case("iam_role_cross_account_requires_external_id", "same-account", role(trust({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})), {ROLE: "NOT_APPLICABLE"}),
    Case("iam_role_cross_account_requires_mfa", "missing", role(trust(PARTNER, EXT)), {ROLE: "FAIL"}),
    Case("iam_role_cross_account_requires_mfa", "both", role(trust(PARTNER, BOTH)), {ROLE: "PASS"}),
    Case("iam_role_cross_account_requires_mfa", "mfa-if-exists-lets-keys-in",
         role(trust(PARTNER, {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}})), {ROLE: "FAIL"}),
    Case("iam_role_cross_account_requires_mfa", "deny-without-mfa",
         role(policy({"Effect": "Allow", "Principal": PARTNER, "Action": "sts:AssumeRole"},
                     {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole",
                      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})), {ROLE: "PASS"}),
    Case("iam_role_trust_not_public", "star", role(trust("*")), {ROLE: "FAIL"}),
    Case("iam_role_trust_not_public", "star-with-external-id", role(trust({"AWS": "*"}, EXT)), {ROLE: "FAIL"}),
    Case("iam_role_trust_not_public", "star-with-org", role(trust({"AWS": "*"}, {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), {ROLE: "PASS"}),
    Case("iam_role_trust_not_public", "named-partner", role(trust(PARTNER, BOTH)), {ROLE: "PASS"}),
    Case("iam_role_trust_not_public", "broken-trust", role(None), {ROLE: "UNKNOWN"}),
    Case("iam_role_short_sessions", "twelve-hours", role(trust(PARTNER), max_session_duration=43200), {ROLE: "FAIL"}),
    Case("iam_role_short_sessions", "one-hour", role(trust(PARTNER), max_session_duration=3600), {ROLE: "PASS"}),
]

# ---- web identity (OIDC) trust
GH = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
AUD = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}


def oidc(condition=None, provider=GH) -> object:
    st = {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithWebIdentity"}
    if condition:
        st["Condition"] = condition
    return role(policy(st))


CASES += [
    Case("iam_role_web_identity_trust_restricted", "audience-only", oidc(AUD), {ROLE: "FAIL"}),
    Case("iam_role_web_identity_trust_restricted", "no-condition", oidc(), {ROLE: "FAIL"}),
    Case("iam_role_web_identity_trust_restricted", "subject-wildcard", oidc({"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}),
         {ROLE: "FAIL"}),
    Case("iam_role_web_identity_trust_restricted", "repo-pinned",
         oidc({**AUD, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}}), {ROLE: "PASS"}),
    Case("iam_role_web_identity_trust_restricted", "cognito-pool-pinned",
         oidc({"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool-id"}}, "cognito-identity.amazonaws.com"), {ROLE: "PASS"}),
    Case("iam_role_web_identity_trust_restricted", "cognito-any-pool", oidc(None, "cognito-identity.amazonaws.com"), {ROLE: "FAIL"}),
    Case("iam_role_web_identity_trust_restricted", "no-oidc", role(trust(PARTNER)), {"*": "NOT_APPLICABLE"}),
]

# ---- users: destructive actions need MFA
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"


def user_with(*docs, groups=None, **kw) -> object:
    iam = {"users": [{"name": "alice", "arn": USER, "inline_policies": {f"p{i}": d for i, d in enumerate(docs)}, **kw}]}
    if groups:
        iam["users"][0]["groups"] = [g["name"] for g in groups]
        iam["groups"] = groups
    return snap(iam=iam)


DELETE = {"Effect": "Allow", "Action": ["s3:DeleteBucket", "s3:DeleteObject"], "Resource": "*"}
CASES += [
    Case("iam_user_destructive_actions_require_mfa", "no-mfa", user_with(policy(DELETE)), {USER: "FAIL"}),
    Case("iam_user_destructive_actions_require_mfa", "allow-with-mfa", user_with(policy({**DELETE, "Condition": MFA_TRUE})), {USER: "PASS"}),
    Case("iam_user_destructive_actions_require_mfa", "deny-without-mfa-in-group",
         user_with(policy(DELETE), groups=[{"name": "humans", "arn": f"arn:aws:iam::{ACCOUNT}:group/humans", "inline_policies": {
             "mfa": policy({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})}}]),
         {USER: "PASS"}),
    Case("iam_user_destructive_actions_require_mfa", "deny-bool-false-misses-absent",
         user_with(policy(DELETE), policy({"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}})),
         {USER: "FAIL"}),
    Case("iam_user_destructive_actions_require_mfa", "read-only", user_with(policy({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"})),
         {USER: "PASS"}),
    Case("iam_user_destructive_actions_require_mfa", "specific-bucket",
         user_with(policy({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::lab-data/*"})), {USER: "FAIL"}),
]

# ---- credentials
ROOT_ROW = {"user": "<root_account>", "arn": f"arn:aws:iam::{ACCOUNT}:root", "mfa_active": "true", "access_key_1_active": "false",
            "access_key_2_active": "false", "password_enabled": "not_supported"}


def report(*rows, **iam) -> object:
    return snap(iam={"credential_report": list(rows), **iam})


def alice(**row) -> dict:
    return {"user": "alice", "arn": USER, "password_enabled": "true", "mfa_active": "false", **row}


CASES += [
    Case("iam_root_no_access_keys", "none", report(ROOT_ROW), {"root": "PASS"}),
    Case("iam_root_no_access_keys", "active", report({**ROOT_ROW, "access_key_2_active": "true"}), {"root": "FAIL"}),
    Case("iam_root_no_access_keys", "summary-fallback", snap(iam={"account_summary": {"AccountAccessKeysPresent": 1}}), {"root": "FAIL"}),
    Case("iam_root_no_access_keys", "nothing-readable", snap(iam={"errors": {"credential_report": "AccessDenied", "account_summary": "AccessDenied"}}),
         {"root": "UNKNOWN"}),
    Case("iam_root_mfa_enabled", "on", report(ROOT_ROW), {"root": "PASS"}),
    Case("iam_root_mfa_enabled", "off", report({**ROOT_ROW, "mfa_active": "false"}), {"root": "FAIL"}),
    Case("iam_root_hardware_mfa", "virtual",
         report(ROOT_ROW, virtual_mfa_devices=[{"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"}]), {"root": "FAIL"}),
    Case("iam_root_hardware_mfa", "hardware", report(ROOT_ROW), {"root": "PASS"}),
    Case("iam_root_hardware_mfa", "no-mfa", report({**ROOT_ROW, "mfa_active": "false"}), {"root": "FAIL"}),
    Case("iam_user_console_mfa", "password-no-mfa", report(alice(), users=[{"name": "alice", "arn": USER}]), {USER: "FAIL"}),
    Case("iam_user_console_mfa", "password-and-mfa",
         report(alice(mfa_active="true"), users=[{"name": "alice", "arn": USER, "mfa_devices": ["arn:aws:iam::1:mfa/alice"]}]), {USER: "PASS"}),
    Case("iam_user_console_mfa", "no-password", report(alice(password_enabled="false"), users=[{"name": "alice", "arn": USER}]),
         {USER: "NOT_APPLICABLE"}),
    Case("iam_user_console_mfa", "not-in-report", report(users=[{"name": "alice", "arn": USER}]), {USER: "UNKNOWN"}),
    Case("iam_password_policy_strong", "strong", snap(iam={"password_policy": {"MinimumPasswordLength": 16, "PasswordReusePrevention": 24}}),
         {"root": "PASS"}),
    Case("iam_password_policy_strong", "short", snap(iam={"password_policy": {"MinimumPasswordLength": 8, "PasswordReusePrevention": 24}}),
         {"root": "FAIL"}),
    Case("iam_password_policy_strong", "none", snap(), {"root": "FAIL"}),
    Case("iam_password_policy_strong", "unreadable", snap(iam={"errors": {"password_policy": "AccessDenied"}}), {"root": "UNKNOWN"}),
    Case("iam_access_keys_rotated", "old",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Active", "created": "2026-01-01T00:00:00+00:00"}]}]}),
         {USER: "FAIL"}),
    Case("iam_access_keys_rotated", "fresh",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Active", "created": "2026-11-01T00:00:00+00:00"}]}]}),
         {USER: "PASS"}),
    Case("iam_unused_credentials", "stale-key",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Active", "created": "2026-01-01T00:00:00+00:00",
                                                                             "last_used": "2026-02-01T00:00:00+00:00"}]}],
                   "credential_report": [alice(password_enabled="false")]}), {USER: "FAIL"}),
    Case("iam_unused_credentials", "used-recently",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Active", "created": "2026-01-01T00:00:00+00:00",
                                                                             "last_used": "2026-11-27T00:00:00+00:00"}]}],
                   "credential_report": [alice(password_last_used="2026-11-20T00:00:00+00:00")]}), {USER: "PASS"}),
    Case("iam_user_no_attached_policies", "attached",
         snap(iam={"users": [{"name": "alice", "arn": USER, "attached_policies": [{"arn": P_ARN, "name": "lab"}]}]}), {USER: "FAIL"}),
    Case("iam_user_no_attached_policies", "groups-only", snap(iam={"users": [{"name": "alice", "arn": USER, "groups": ["devs"]}]}), {USER: "PASS"}),
    Case("iam_user_no_long_lived_keys", "key",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Active"}]}]}), {USER: "FAIL"}),
    Case("iam_user_no_long_lived_keys", "inactive-key",
         snap(iam={"users": [{"name": "alice", "arn": USER, "access_keys": [{"id": "AKIA1", "status": "Inactive"}]}]}), {USER: "PASS"}),
    Case("iam_user_no_long_lived_keys", "iam-unavailable", snap(iam={"error": "AccessDenied (HTTP 403)"}), {"*": "UNKNOWN"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_iam_checks(case: Case) -> None:
    verify(case)
