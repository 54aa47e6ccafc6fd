"""Access questions over enumerated requests, and the action catalogue."""

from __future__ import annotations

from ztlab.policy import Caller, PolicySet, Request, parse_policy
from ztlab.policy.access import (
    OUTSIDER_ACCOUNT, build_requests, context_variants, describe_request, find_request, standard_callers,
)
from ztlab.policy.actions import access_level, expand_action, is_known_action, service_actions, suggest_action

ACCOUNT = "111122223333"
BUCKET = "arn:aws:s3:::reports"


def bucket_policy(*statements):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, kind="resource")


ALLOW_ACCOUNT = {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "s3:*", "Resource": [BUCKET, BUCKET + "/*"]}
TLS_DENY = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, BUCKET + "/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def identity_for(request: Request) -> PolicySet:
    """Same-account principals have s3:* on their identity side; others hold the same."""
    admin = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    return PolicySet(identity=[admin])


def tls_question(policy):
    requests = build_requests(["s3:GetObject", "s3:PutObject", "s3:DeleteBucket"], [BUCKET, BUCKET + "/k"],
                              standard_callers(ACCOUNT), context_variants(tls=True), resource_owner=ACCOUNT)

    def with_policy(request):
        ps = identity_for(request)
        ps.resource = policy
        return ps
    # "can anyone do anything without TLS?"
    return find_request((r for r in requests if r.context.get("aws:SecureTransport") == "false"),
                        with_policy, lambda e: e.allowed)


def test_context_variants_cross_product():
    variants = context_variants(tls=True, mfa=True, source_ip=("203.0.113.5", "198.51.100.9"))
    assert len(variants) == 27
    assert {v.get("aws:SecureTransport") for v in variants} == {"true", "false", None}
    assert {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "300", "aws:SecureTransport": "false",
            "aws:SourceIp": "198.51.100.9"} in variants
    assert context_variants() == [{}]
    assert len(context_variants(extra={"aws:RequestedRegion": ["eu-west-1", None], "aws:PrincipalOrgID": "o-1"})) == 2


def test_standard_callers_cover_the_zero_trust_cases():
    callers = standard_callers(ACCOUNT)
    kinds = [(c.principal_type, c.account == ACCOUNT) for c in callers]
    assert kinds == [("User", True), ("AssumedRole", True), ("Account", True),
                     ("Account", False), ("User", False), ("AssumedRole", False), ("Anonymous", False)]


def test_the_outsider_is_never_the_account_asked_about():
    for account in (ACCOUNT, OUTSIDER_ACCOUNT):
        outsiders = {c.account for c in standard_callers(account) if c.account and c.account != account}
        assert len(outsiders) == 1 and account not in outsiders


def test_tls_question_finds_a_counterexample_when_the_deny_is_too_narrow():
    narrow = dict(TLS_DENY, Action="s3:PutObject")
    found = tls_question(bucket_policy(ALLOW_ACCOUNT, narrow))
    assert found is not None
    request, evaluation = found
    assert request.action == "s3:GetObject" and evaluation.allowed
    assert "s3:GetObject" in describe_request(request)


def test_tls_question_is_answered_no_for_a_proper_deny():
    assert tls_question(bucket_policy(ALLOW_ACCOUNT, TLS_DENY)) is None


def test_tls_question_with_json_false_and_list_spellings():
    for spelling in (False, ["false"]):
        deny = dict(TLS_DENY, Condition={"Bool": {"aws:SecureTransport": spelling}})
        assert tls_question(bucket_policy(ALLOW_ACCOUNT, deny)) is None


def test_allow_with_tls_true_is_not_a_tls_requirement():
    allow_tls = dict(ALLOW_ACCOUNT, Condition={"Bool": {"aws:SecureTransport": "true"}})
    assert tls_question(bucket_policy(allow_tls)) is not None  # identity policies still allow without TLS


def test_find_request_with_a_fixed_policy_set():
    ps = PolicySet(resource=bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                           "Resource": BUCKET + "/*"}))
    found = find_request(build_requests(["s3:GetObject"], [BUCKET + "/x"], [Caller.anonymous()], resource_owner=ACCOUNT),
                         ps, lambda e: e.allowed)
    assert found is not None and found[0].caller.principal_type == "Anonymous"


def test_action_catalogue():
    assert expand_action("S3:getobject") == ["s3:GetObject"]
    gets = expand_action("s3:Get*")
    assert "s3:GetObject" in gets and "s3:PutObject" not in gets
    assert all(a.startswith("s3:Get") for a in gets)
    assert set(expand_action("iam:*AccessKey*")) >= {"iam:CreateAccessKey", "iam:ListAccessKeys"}
    assert expand_action("nosuchservice:*") == []
    assert access_level("s3:GetObject") == "Read"
    assert access_level("s3:ListBucket") == "List"
    assert access_level("iam:PutUserPolicy") == "Permissions management"
    assert access_level("s3:NoSuchThing") is None
    assert is_known_action("KMS:Decrypt") and not is_known_action("kms:Decrypted")
    assert "ec2:RunInstances" in service_actions("ec2")
    assert suggest_action("s3:GetObjekt") == "s3:GetObject"
