"""Pattern intersection: a string both patterns match exists iff the answer says so, and the
patterns it lists hold exactly those strings (hypothesis, against brute force)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ztlab.policy.intersect import example, intersect, overlaps, pattern_text
from ztlab.policy.patterns import arn_tokens, glob_tokens, resource_tokens, split_variables
from ztlab.policy.wildcards import STAR, compile_tokens

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALPHABET = "a:b"
PATTERNS = st.text(alphabet="a:b*?", max_size=6).filter(lambda p: sum(ch != "*" for ch in p) <= 3)
MODES = st.sampled_from([glob_tokens, arn_tokens, resource_tokens])


def strings(longest: int):
    for n in range(longest + 1):
        for chars in itertools.product(ALPHABET, repeat=n):
            yield "".join(chars)


@SETTINGS
@given(PATTERNS, PATTERNS, MODES)
def test_intersection_is_exact(p_text, q_text, mode):
    p = mode(split_variables(p_text, variables=False))
    q = mode(split_variables(q_text, variables=False))
    in_p, in_q = compile_tokens(p), compile_tokens(q)
    # a common string never needs more characters than the two patterns' fixed tokens together
    longest = sum(t[0] != STAR for t in p) + sum(t[0] != STAR for t in q)
    common = [s for s in strings(longest) if in_p(s) and in_q(s)]
    assert overlaps(p, q) == bool(common), (p_text, q_text)
    found, complete = intersect(p, q)
    assert bool(found) == bool(common)
    matchers = [compile_tokens(r) for r in found]
    for r in found:
        for filler in ("", "ab", "b:a"):
            s = example(r, filler)
            if all(m(s) is False for m in [compile_tokens(r)]):
                continue  # a bounded `*` cannot take a colon filler
            assert in_p(s) and in_q(s), (p_text, q_text, pattern_text(r), s)
    if complete:
        for s in common:
            assert any(m(s) for m in matchers), (p_text, q_text, s, [pattern_text(r) for r in found])


def test_the_usual_shapes():
    def tokens(text):
        return resource_tokens(split_variables(text, variables=False))

    found, complete = intersect(tokens("arn:aws:s3:::payroll/*"), tokens("arn:aws:s3:::*/2026/*"))
    assert complete and [pattern_text(r) for r in found] == ["arn:aws:s3:::payroll/2026/*", "arn:aws:s3:::payroll/*/2026/*"]
    assert not intersect(tokens("arn:aws:s3:::payroll/*"), tokens("arn:aws:s3:::public/*"))[0]
    assert [pattern_text(r) for r in intersect(tokens("*"), tokens("arn:aws:s3:::b/*"))[0]] == ["arn:aws:s3:::b/*"]


# ---------------------------------------------------------------- questions about a pattern
from ztlab.policy import Caller, PolicySet, Request, evaluate, parse_policy  # noqa: E402
from ztlab.policy.pattern_question import evaluate_pattern  # noqa: E402
from ztlab.policy.wildcards import compile_tokens as _compile  # noqa: E402

GRANTS = ["*", "arn:aws:s3:::pay*", "arn:aws:s3:::payroll/*", "arn:aws:s3:::payroll/a/*", "arn:aws:s3:::*/a/*",
          "arn:aws:s3:::public/*", "arn:aws:s3:::payroll/a/x", "arn:aws:s3:::payrol?/b*", "arn:aws:s3:::payroll"]
QUESTIONS = ["arn:aws:s3:::payroll/*", "arn:aws:s3:::*", "*", "arn:aws:s3:::payroll/a/*", "arn:aws:s3:::p*/b*",
             "arn:aws:s3:::public/x"]
UNIVERSE = ["arn:aws:s3:::payroll/a/x", "arn:aws:s3:::payroll/a/y", "arn:aws:s3:::payroll/b1", "arn:aws:s3:::payroll/c",
            "arn:aws:s3:::payroll", "arn:aws:s3:::public/x", "arn:aws:s3:::pays/a/q", "arn:aws:s3:::payroll/b/a/z"]
ALICE = Caller.from_arn("arn:aws:iam::111122223333:user/alice")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["Allow", "Allow", "Deny"]), st.sampled_from(GRANTS)), min_size=1, max_size=4),
       st.lists(st.sampled_from(GRANTS), max_size=2), st.sampled_from(QUESTIONS))
def test_a_pattern_question_finds_an_allowed_resource_when_one_exists(statements, boundary, question):
    identity = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": e, "Action": "s3:GetObject", "Resource": r} for e, r in statements]})
    policies = PolicySet(identity=[identity], boundary=parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": boundary}]}) if boundary else None)
    answer = evaluate_pattern(Request("s3:GetObject", question, ALICE), policies)
    in_question = _compile(arn_tokens(split_variables(question, variables=False)))
    assert in_question(answer.example)
    assert answer.decision == evaluate(Request("s3:GetObject", answer.example, ALICE), policies).decision
    some_allowed = [r for r in UNIVERSE if in_question(r) and evaluate(Request("s3:GetObject", r, ALICE), policies).allowed]
    if some_allowed:
        assert answer.allowed, (statements, boundary, question, some_allowed, answer.explain())
