"""`policy lint` on long resource strings full of `*` and `?`: the matchers for them are built
from whole strings (ztlab.policy.wildcards.compile_text), not a tuple per character, and that
changes no finding. The findings below were recorded with the per-character compiler on the
same policy; bench/policy_bench.py prints the CPU seconds per MB."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ztlab.policy.lint import lint_text
from ztlab.policy.patterns import (
    arn_matcher, arn_tokens, glob_matcher, glob_tokens, resource_matcher, resource_tokens, split_variables,
)
from ztlab.policy.wildcards import compile_tokens

KEY = "arn:aws:s3:::acme-data/"


def wild(n: int, seed: int, alphabet: str = "ab*?c:/") -> str:
    """n characters of literals, `*` and `?`, the same every run."""
    out, state = [], seed
    for _ in range(n):
        state = (state * 1103515245 + 12345) % 2**31
        out.append(alphabet[state % len(alphabet)])
    return "".join(out)


def long_pattern_policy() -> bytes:
    long_key = KEY + wild(10_000, 1)
    statements = [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": long_key},
        # covers the key the TLS lint asks about ("k"): only the last piece must be there
        {"Sid": "TlsForOne", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [KEY + "*" * 3000 + "k", "arn:aws:s3:::acme-data"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        # never covers a one-character key: 5,000 `?` need 5,000 characters
        {"Sid": "TlsForLong", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
         "Resource": KEY + "*?" * 5000, "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "Actions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": ["s3:Get" + "*" * 5000 + "Object", "s3:" + wild(10_000, 2, "ab*?c"), "s3:Put?bject" + "?" * 10],
         "Resource": [KEY + wild(10_000, 3)], "Condition": {
             "StringLike": {"s3:prefix": wild(10_000, 4), "aws:PrincipalTag/team": wild(10_000, 5)},
             "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/" + wild(10_000, 6),
                         "aws:SourceArn": "arn:aws:*:" + wild(2_000, 7)}}},
        # a second bucket whose TLS Deny reaches only keys of 5,000 characters and more
        {"Sid": "OtherTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::other/" + "*?" * 5000, "arn:aws:s3:::other"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringLike": {"aws:Bogus": wild(3_000, 10)}}},
        {"Sid": "NotResource", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::" + wild(10_000, 8)},
        {"Sid": "Escaped", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "s3:GetObject", "Resource": KEY + "${*}" + wild(5_000, 9) + "${?}"},
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=1).encode()


# Recorded with the per-character compiler: both TLS answers hang on matching the long patterns
# (acme-data's Deny reaches key "k", other's does not), the unknown action on matching 10,000
# characters against every known s3 action.
EXPECTED = [
    ("warning", "s3-tls-not-required", "/Statement", "bucket other: no Deny for aws:SecureTransport=false covers s"),
    ("error", "public-principal", "/Statement/0/Principal", 'Principal "*" with no condition that narrows who can call: a'),
    ("warning", "unknown-action", "/Statement/3/Action/1", "'s3:**??*?abc**baa*c**caa?cbb*bb*?b*?bccacbb?b*?c**?cccc?*c?"),
    ("warning", "unknown-condition-key", "/Statement/4/Condition/StringLike/aws:Bogus",
     "aws:Bogus is not a known global condition key"),
    ("warning", "allow-not-resource", "/Statement/5/NotResource", "Allow with NotResource grants the actions on every other res"),
]


def test_findings_on_long_wildcard_strings_are_unchanged():
    findings = lint_text(long_pattern_policy(), name="long.json")
    assert [(f.severity, f.code, f.pointer, f.message[:60]) for f in findings] == EXPECTED


# `${*}` / `${?}` make a literal `*` / `?`, and StringLike may ignore case: the string-built
# matchers must give every answer the per-character tokens give. Texts are mostly written from
# the pattern (each wildcard filled in), so that matches, and near misses, are common.
WORDS = ["a", "b", ":", "/", "*", "?", "${*}", "${?}", "arn", "A", "\u0130"]
FILL = {"${*}": "*", "${?}": "?"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.data())
def test_string_built_matchers_agree_with_the_tokens(words, data):
    text = "".join(data.draw(st.text(alphabet="ab:/*?", max_size=3)) if word == "*" else
                   data.draw(st.sampled_from("ab:/?")) if word == "?" else FILL.get(word, word) for word in words)
    text = data.draw(st.sampled_from([text, text.upper(), text[1:], text + "a", text.replace("a", "b", 1)]))
    parts = split_variables("".join(words), variables=True)
    assert glob_matcher(parts)(text) == compile_tokens(glob_tokens(parts))(text)
    assert arn_matcher(parts)(text) == compile_tokens(arn_tokens(parts))(text)
    assert resource_matcher(parts)(text) == compile_tokens(resource_tokens(parts))(text)
    lowered = tuple((kind, ch.lower(), bounded) for kind, ch, bounded in glob_tokens(parts))
    assert glob_matcher(parts, ignore_case=True)(text) == compile_tokens(lowered)(text.lower())
