"""Properties the engine must keep whatever the policies (hypothesis)."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ztlab.policy import Caller, PolicyError, PolicySet, Request, evaluate, parse_policy

ACCOUNT, OTHER = "111122223333", "444455556666"
# Few examples each: the suite shares a 2-core CI budget; the strategies are small but rich.
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ACTION_PATTERNS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:CreateUser", "ec2:RunInstances",
                   "s3:*", "s3:Get*", "*", "iam:*", "ec2:Run?nstances", "sqs:SendMessage"]
ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:CreateUser", "ec2:RunInstances"]
RESOURCE_PATTERNS = ["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::c/*",
                     "arn:aws:ec2:*:111122223333:instance/*"]
RESOURCES = ["arn:aws:s3:::b", "arn:aws:s3:::b/alice/x", "arn:aws:s3:::c/k", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", "*"]
CONDITIONS = [
    {"Bool": {"aws:SecureTransport": "false"}}, {"Bool": {"aws:SecureTransport": True}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}, {"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}},
    {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}, {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}, {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}},
    {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}, {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": "cost*"}}, {"Null": {"aws:TokenIssueTime": "true"}},
    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
    {"DateLessThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"}},
]
PRINCIPALS = ["*", {"AWS": ACCOUNT}, {"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, {"AWS": [OTHER, f"arn:aws:iam::{ACCOUNT}:role/app"]},
              {"Service": "cloudtrail.amazonaws.com"}]
CALLERS = [Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice"), Caller.from_arn(f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s"),
           Caller.from_arn(f"arn:aws:iam::{OTHER}:user/carol"), Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:root"),
           Caller.anonymous(), Caller.service("cloudtrail.amazonaws.com")]
CONTEXTS = st.fixed_dictionaries({}, optional={
    "aws:SecureTransport": st.sampled_from([True, False, "true", "false"]),
    "aws:MultiFactorAuthPresent": st.booleans(),
    "aws:MultiFactorAuthAge": st.sampled_from([30, "7200"]),
    "aws:SourceIp": st.sampled_from(["203.0.113.9", "198.51.100.1", "2001:db8::5"]),
    "aws:RequestedRegion": st.sampled_from(["eu-west-1", "us-east-1"]),
    "s3:prefix": st.sampled_from(["home/alice/", "home/bob/x"]),
    "aws:TagKeys": st.lists(st.sampled_from(["env", "team", "costcenter"]), max_size=3),
    "aws:CurrentTime": st.sampled_from(["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
})


@st.composite
def statements(draw, *, resource_policy=False, effect=None):
    s = {"Effect": effect or draw(st.sampled_from(["Allow", "Allow", "Allow", "Deny"]))}
    if resource_policy:
        s["Principal"] = draw(st.sampled_from(PRINCIPALS))
    actions = draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3, unique=True))
    s["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = actions
    resources = draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2, unique=True))
    s["NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"] = resources
    if draw(st.integers(0, 2)) == 0:
        block: dict = {}
        for cond in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
            for op, keys in cond.items():
                block.setdefault(op, {}).update(keys)
        if block:
            s["Condition"] = block
    return s


def documents(**kw):
    return st.lists(statements(**kw), min_size=1, max_size=2).map(lambda ss: {"Version": "2012-10-17", "Statement": ss})


@st.composite
def scenarios(draw):
    raw = {
        "identity": draw(st.lists(documents(), min_size=draw(st.integers(0, 1)), max_size=2)),
        "resource": draw(st.none() | documents(resource_policy=True)),
        "boundary": draw(st.none() | documents()) if draw(st.integers(0, 2)) == 0 else None,
        "session": draw(st.lists(documents(), max_size=1)) if draw(st.integers(0, 2)) == 0 else [],
        "scps": draw(st.lists(st.lists(documents(), min_size=1, max_size=1), max_size=2)) if draw(st.booleans()) else [],
    }
    caller = draw(st.sampled_from(CALLERS))
    request = Request(draw(st.sampled_from(ACTIONS)), draw(st.sampled_from(RESOURCES)), caller,
                      draw(st.sampled_from([None, ACCOUNT, OTHER])), draw(CONTEXTS))
    return raw, request


def build(raw) -> PolicySet:
    return PolicySet(identity=[parse_policy(d) for d in raw["identity"]],
                     resource=parse_policy(raw["resource"]) if raw["resource"] else None,
                     boundary=parse_policy(raw["boundary"]) if raw["boundary"] else None,
                     session=[parse_policy(d) for d in raw["session"]],
                     scps=[[parse_policy(d) for d in level] for level in raw["scps"]])


def decide(raw, request):
    return evaluate(request, build(raw)).decision


@SETTINGS
@given(scenarios(), st.data())
def test_adding_a_deny_never_turns_a_deny_into_an_allow(scenario, data):
    raw, request = scenario
    before = decide(raw, request)
    changed = copy.deepcopy(raw)
    layer = data.draw(st.sampled_from(["identity", "resource", "boundary", "session", "scps"]))
    deny = data.draw(statements(resource_policy=(layer == "resource"), effect="Deny"))
    if layer in ("identity", "session"):
        if changed[layer]:
            changed[layer][0]["Statement"].append(deny)
        else:
            changed[layer].append({"Version": "2012-10-17", "Statement": [deny]})
    elif layer == "scps":
        if changed["scps"]:
            changed["scps"][0][0]["Statement"].append(deny)
        else:
            changed["scps"].append([{"Version": "2012-10-17", "Statement": [deny]}])
    elif changed[layer]:
        changed[layer]["Statement"].append(deny)
    else:
        changed[layer] = {"Version": "2012-10-17", "Statement": [deny]}
    after = decide(changed, request)
    if before != "allowed":
        assert after != "allowed"
    if before == "explicitDeny":
        assert after == "explicitDeny"


@SETTINGS
@given(scenarios(), statements(effect="Allow"))
def test_adding_an_identity_allow_never_turns_an_allow_into_a_deny(scenario, allow):
    raw, request = scenario
    before = decide(raw, request)
    changed = copy.deepcopy(raw)
    changed["identity"].append({"Version": "2012-10-17", "Statement": [allow]})
    after = decide(changed, request)
    if before == "allowed":
        assert after == "allowed"


def respell(doc, rng):
    """The same policy written differently: scalars vs one-element lists, booleans and numbers
    as strings, action and condition-key case."""
    out = copy.deepcopy(doc)
    for s in out["Statement"]:
        for element in ("Action", "NotAction"):
            if element in s:
                values = [a.upper() if rng.draw(st.booleans()) else a.lower() for a in s[element]]
                s[element] = values[0] if len(values) == 1 and rng.draw(st.booleans()) else values
        for element in ("Resource", "NotResource"):
            if element in s and len(s[element]) == 1 and rng.draw(st.booleans()):
                s[element] = s[element][0]
        for op, keys in s.get("Condition", {}).items():
            new_keys = {}
            for key, value in keys.items():
                values = value if isinstance(value, list) else [value]
                values = [("true" if v else "false") if isinstance(v, bool) else str(v) if isinstance(v, int) else v
                          for v in values]
                if len(values) == 1 and rng.draw(st.booleans()):
                    values = values[0]
                new_keys[key.upper() if rng.draw(st.booleans()) else key.lower()] = values
            s["Condition"][op] = new_keys
    if len(out["Statement"]) == 1 and rng.draw(st.booleans()):
        out["Statement"] = out["Statement"][0]
    return out


@SETTINGS
@given(scenarios(), st.data())
def test_equivalent_spellings_never_change_a_decision(scenario, data):
    raw, request = scenario
    before = decide(raw, request)
    changed = {
        "identity": [respell(d, data) for d in raw["identity"]],
        "resource": respell(raw["resource"], data) if raw["resource"] else None,
        "boundary": respell(raw["boundary"], data) if raw["boundary"] else None,
        "session": [respell(d, data) for d in raw["session"]],
        "scps": [[respell(d, data) for d in level] for level in raw["scps"]],
    }
    context = {k.upper() if data.draw(st.booleans()) else k: ([v] if not isinstance(v, list) and data.draw(st.booleans()) else v)
               for k, v in request.context.items()}
    action = request.action.upper() if data.draw(st.booleans()) else request.action
    again = Request(action, request.resource, request.caller, request.resource_owner, context)
    assert decide(changed, again) == before


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) |
    st.sampled_from(["Allow", "Deny", "*", "s3:GetObject", "arn:aws:s3:::b/*", "2012-10-17", "${aws:username}",
                     "StringEquals", "aws:SourceIp", "10.0.0.0/8", "true"]) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["Version", "Statement", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
                         "NotPrincipal", "Condition", "Sid", "AWS", "Service", "StringEquals", "Bool", "IpAddress",
                         "ForAllValues:StringLike", "Null", "aws:SourceIp", "s3:prefix", "Junk"]) | st.text(max_size=5),
        children, max_size=4),
    max_leaves=20)


@st.composite
def policy_like(draw):
    statement = draw(st.dictionaries(st.sampled_from(["Effect", "Action", "NotAction", "Resource", "NotResource",
                                                      "Principal", "Condition", "Sid"]), JSON_VALUES, max_size=6))
    return {"Version": draw(st.sampled_from(["2012-10-17", "2008-10-17", None])), "Statement": draw(st.sampled_from(
        [[statement], statement, [statement, statement]]))}


PROBE = Request("s3:GetObject", "arn:aws:s3:::b/alice/x", CALLERS[0], None, {"aws:SecureTransport": "false"})


def check_parse(source):
    try:
        policy = parse_policy(source)
    except PolicyError as err:
        assert isinstance(err.pointer, str) and (err.pointer == "" or err.pointer.startswith("/"))
        if isinstance(source, str) and err.line is not None:
            assert err.line >= 1 and err.column >= 1
        assert err.message
        return
    evaluate(PROBE, PolicySet(identity=[policy], boundary=policy, resource=policy))


@SETTINGS
@given(policy_like() | JSON_VALUES)
def test_random_documents_never_crash(doc):
    check_parse(json.dumps(doc))
    if isinstance(doc, dict):
        check_parse(doc)


@SETTINGS
@given(st.text(max_size=60) | st.binary(max_size=40))
def test_random_text_never_crashes(text):
    check_parse(text)


@SETTINGS
@given(policy_like())
def test_located_errors_point_into_the_text(doc):
    text = json.dumps(doc, indent=2)
    try:
        parse_policy(text)
    except PolicyError as err:
        lines = text.splitlines()
        assert err.line is not None and 1 <= err.line <= len(lines)
        assert 1 <= err.column <= len(lines[err.line - 1]) + 1
