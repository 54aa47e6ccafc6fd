"""S3: TLS and public access as policy-engine questions, block public access, encryption, ACLs, versioning, logging."""

from __future__ import annotations

import pytest

from tests.checks.helpers import Case, policy, snap, text, verify

B = "arn:aws:s3:::lab-data"
BOTH = [B, B + "/*"]
ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def bucket(doc=None, *, account_pab=None, **attrs) -> object:
    b = {"name": "lab-data", "arn": B, **attrs}
    if doc is not None:
        b["policy"] = doc if isinstance(doc, str) else text(doc)
    return snap(s3={"buckets": [b], "account_public_access_block": account_pab})


def tls_deny(**override) -> dict:
    st = {"Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": BOTH,
          "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    st.update(override)
    return policy(st)


READ_FOR_APP = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"}, "Action": "s3:GetObject", "Resource": B + "/*"}

CASES = [
    # ---- TLS: the canonical Deny and its valid alternatives pass
    Case("s3_bucket_requires_tls", "canonical", bucket(tls_deny()), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "json-boolean-false", bucket(tls_deny(Condition={"Bool": {"aws:SecureTransport": False}})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "list-false", bucket(tls_deny(Condition={"Bool": {"aws:SecureTransport": ["false"]}})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "aws-star-principal", bucket(tls_deny(Principal={"AWS": "*"})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "bool-if-exists", bucket(tls_deny(Condition={"BoolIfExists": {"aws:SecureTransport": "false"}})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "star-resource", bucket(tls_deny(Resource="*")), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "lowercase-action-and-wildcard-bucket",
         bucket(tls_deny(Action="S3:*", Resource=["arn:aws:s3:::lab-*", "arn:aws:s3:::lab-*/*"])), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "not-principal-nobody",
         bucket(policy({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/nobody"}, "Action": "s3:*",
                        "Resource": BOTH, "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "not-action-nothing-real",
         bucket(policy({"Effect": "Deny", "Principal": "*", "NotAction": "s3:ZzzNotARealAction", "Resource": BOTH,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), {B: "PASS"}),
    Case("s3_bucket_requires_tls", "with-other-statements", bucket(policy(READ_FOR_APP, tls_deny()["Statement"][0])), {B: "PASS"}),
    # ---- TLS traps that must fail
    Case("s3_bucket_requires_tls", "put-object-only", bucket(tls_deny(Action="s3:PutObject")), {B: "FAIL"}, evidence_keys=("request",)),
    Case("s3_bucket_requires_tls", "get-star-is-not-everything", bucket(tls_deny(Action="s3:Get*")), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "one-principal", bucket(tls_deny(Principal={"AWS": "arn:aws:iam::123456789012:role/app"})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "other-bucket", bucket(tls_deny(Resource=["arn:aws:s3:::other", "arn:aws:s3:::other/*"])), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "objects-only", bucket(tls_deny(Resource=B + "/*")), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "one-prefix", bucket(tls_deny(Resource=[B, B + "/secret/*"])), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "allow-if-tls-denies-nothing",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*",
                        "Condition": {"Bool": {"aws:SecureTransport": "true"}}})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "deny-only-outside-vpc",
         bucket(tls_deny(Condition={"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:SourceVpce": "vpce-1"}})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "tls-version-is-not-tls", bucket(tls_deny(Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "outsiders-only",
         bucket(tls_deny(Condition={"Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:PrincipalAccount": "123456789012"}})),
         {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "role-exempted",
         bucket(tls_deny(Condition={"Bool": {"aws:SecureTransport": "false"},
                                    "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/legacy-http"}})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "not-principal-exempts-a-role",
         bucket(policy({"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::123456789012:role/legacy", "123456789012"]}, "Action": "s3:*",
                        "Resource": BOTH, "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "no-policy", bucket(), {B: "FAIL"}),
    Case("s3_bucket_requires_tls", "broken-policy-is-unknown", bucket('{"Statement": [{"Action": "s3:*", "Principal": "*"}]}'), {B: "UNKNOWN"}),
    Case("s3_bucket_requires_tls", "policy-read-failed", snap(s3={"buckets": [{"name": "lab-data", "arn": B, "errors": {"policy": "ServerError (HTTP 500)"}}]}),
         {B: "UNKNOWN"}),
    # ---- public bucket policy
    Case("s3_bucket_policy_not_public", "anonymous-read",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*"})), {B: "FAIL"}, evidence_keys=("request",)),
    Case("s3_bucket_policy_not_public", "aws-star-write",
         bucket(policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": B + "/uploads/*"})), {B: "FAIL"}),
    Case("s3_bucket_policy_not_public", "referer-is-forgeable",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*",
                        "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}}})), {B: "FAIL"}),
    Case("s3_bucket_policy_not_public", "negated-vpce-is-public",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*",
                        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}})), {B: "FAIL"}),
    Case("s3_bucket_policy_not_public", "org-only",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*",
                        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})), {B: "PASS"}),
    Case("s3_bucket_policy_not_public", "vpce-only",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*",
                        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}})), {B: "PASS"}),
    Case("s3_bucket_policy_not_public", "named-partner-account",
         bucket(policy({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": B + "/*"})), {B: "PASS"}),
    Case("s3_bucket_policy_not_public", "public-but-restricted-by-pab",
         bucket(policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": B + "/*"}), account_pab=ALL_ON), {B: "PASS"},
         message_contains="RestrictPublicBuckets"),
    Case("s3_bucket_policy_not_public", "tls-deny-only", bucket(tls_deny()), {B: "PASS"}),
    Case("s3_bucket_policy_not_public", "no-policy", bucket(), {B: "PASS"}),
    # ---- block public access
    Case("s3_bucket_public_access_block", "bucket-level", bucket(public_access_block=ALL_ON), {B: "PASS"}),
    Case("s3_bucket_public_access_block", "account-level", bucket(account_pab=ALL_ON), {B: "PASS"}),
    Case("s3_bucket_public_access_block", "mixed",
         bucket(public_access_block={**ALL_ON, "RestrictPublicBuckets": False}, account_pab={"RestrictPublicBuckets": True}), {B: "PASS"}),
    Case("s3_bucket_public_access_block", "one-off", bucket(public_access_block={**ALL_ON, "IgnorePublicAcls": False}), {B: "FAIL"}),
    Case("s3_bucket_public_access_block", "none", bucket(), {B: "FAIL"}),
    Case("s3_bucket_public_access_block", "account-unreadable",
         snap(s3={"buckets": [{"name": "lab-data", "arn": B}], "errors": {"account_public_access_block": "AccessDenied"}}), {B: "UNKNOWN"}),
    Case("s3_account_public_access_block", "on", bucket(account_pab=ALL_ON), {"account": "PASS"}),
    Case("s3_account_public_access_block", "partial", bucket(account_pab={**ALL_ON, "BlockPublicPolicy": False}), {"account": "FAIL"}),
    Case("s3_account_public_access_block", "never-set", bucket(), {"account": "FAIL"}),
    Case("s3_account_public_access_block", "unreadable", snap(s3={"errors": {"account_public_access_block": "EndpointConnectionError"}}),
         {"*": "UNKNOWN"}),
    # ---- ACLs
    Case("s3_bucket_acl_not_public", "all-users-read",
         bucket(acl={"Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}),
         {B: "FAIL"}),
    Case("s3_bucket_acl_not_public", "authenticated-users-write",
         bucket(acl={"Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},
                                 "Permission": "WRITE"}]}), {B: "FAIL"}),
    Case("s3_bucket_acl_not_public", "ignored-by-pab",
         bucket(acl={"Grants": [{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]},
                public_access_block=ALL_ON), {B: "PASS"}),
    Case("s3_bucket_acl_not_public", "owner-only",
         bucket(acl={"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"}]}), {B: "PASS"}),
    Case("s3_bucket_acls_disabled", "enforced", bucket(ownership={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}), {B: "PASS"}),
    Case("s3_bucket_acls_disabled", "preferred", bucket(ownership={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}), {B: "FAIL"}),
    # ---- encryption, versioning, logging
    Case("s3_bucket_default_encryption_cmk", "cmk",
         snap(s3={"buckets": [{"name": "lab-data", "arn": B, "encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {
             "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/lab"}}]}}]},
              kms={"keys": [{"key_id": "k1", "arn": "arn:aws:kms:us-east-1:123456789012:key/k1", "aliases": ["alias/lab"],
                             "metadata": {"KeyManager": "CUSTOMER", "KeyState": "Enabled"}}]}), {B: "PASS"}),
    Case("s3_bucket_default_encryption_cmk", "sse-s3",
         bucket(encryption={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}), {B: "FAIL"}),
    Case("s3_bucket_default_encryption_cmk", "aws-managed-key",
         bucket(encryption={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}}]}),
         {B: "FAIL"}),
    Case("s3_bucket_default_encryption_cmk", "kms-without-key-id",
         bucket(encryption={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}), {B: "FAIL"}),
    Case("s3_bucket_default_encryption_cmk", "deleted-key",
         bucket(encryption={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                                               "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:key/gone"}}]}),
         {B: "FAIL"}),
    Case("s3_bucket_default_encryption_cmk", "none", bucket(), {B: "FAIL"}),
    Case("s3_bucket_versioning_enabled", "on", bucket(versioning={"Status": "Enabled"}), {B: "PASS"}),
    Case("s3_bucket_versioning_enabled", "suspended", bucket(versioning={"Status": "Suspended"}), {B: "FAIL"}),
    Case("s3_bucket_access_logging", "on", bucket(logging={"TargetBucket": "logs", "TargetPrefix": "lab-data/"}), {B: "PASS"}),
    Case("s3_bucket_access_logging", "off", bucket(), {B: "FAIL"}),
    Case("s3_bucket_access_logging", "no-buckets", snap(), {"*": "NOT_APPLICABLE"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_s3_checks(case: Case) -> None:
    verify(case)
