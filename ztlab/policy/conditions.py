"""Condition operators, compiled once per policy.

Rules (IAM User Guide, "Condition operators" and "Multivalued context keys"):
- operators in a block are ANDed, keys ANDed, the policy values of one key ORed;
- a negated operator is the negation of its positive twin, so several values make a NOR;
- an absent key makes a positive operator false and a negated one true; `...IfExists` makes
  any operator true on an absent key; `Null` tests presence itself;
- `ForAllValues:` is true on an absent or empty key, `ForAnyValue:` false.
"""

from __future__ import annotations

import base64
import ipaddress
import math
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Callable

from ztlab.policy.patterns import (
    Part, UnresolvedVariable, arn_matcher, glob_matcher, has_variables, plain_text, resolve, split_variables,
)

# canonical name -> (kind, negated)
OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("string", False), "StringNotEquals": ("string", True),
    "StringEqualsIgnoreCase": ("string_ic", False), "StringNotEqualsIgnoreCase": ("string_ic", True),
    "StringLike": ("string_like", False), "StringNotLike": ("string_like", True),
    "NumericEquals": ("numeric_eq", False), "NumericNotEquals": ("numeric_eq", True),
    "NumericLessThan": ("numeric_lt", False), "NumericLessThanEquals": ("numeric_le", False),
    "NumericGreaterThan": ("numeric_gt", False), "NumericGreaterThanEquals": ("numeric_ge", False),
    "DateEquals": ("date_eq", False), "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False), "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False), "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False), "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False), "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True), "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}
_BY_LOWER = {name.lower(): name for name in OPERATORS}
SET_PREFIXES = {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}
# Variables are substituted in string and ARN comparisons (IAM User Guide, "Policy variables").
_VARIABLE_KINDS = {"string", "string_ic", "string_like", "arn"}

# Global keys that only ever carry one value: a set operator on them is legal but suspicious.
SINGLE_VALUED_GLOBAL_KEYS = frozenset(k.lower() for k in (
    "aws:SecureTransport", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:SourceIp",
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username", "aws:userid",
    "aws:CurrentTime", "aws:EpochTime", "aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalOrgID",
    "aws:RequestedRegion", "aws:ResourceAccount", "aws:SourceAccount", "aws:SourceArn",
    "aws:ViaAWSService", "aws:Referer", "aws:UserAgent", "aws:TokenIssueTime",
    "aws:PrincipalIsAWSService", "aws:SourceOrgID", "aws:ResourceOrgID", "aws:VpcSourceIp",
    "aws:PrincipalServiceName", "aws:FederatedProvider", "aws:SourceIdentity",
))
_SINGLE_VALUED_PREFIXES = ("aws:principaltag/", "aws:requesttag/", "aws:resourcetag/")


def is_single_valued_global(key: str) -> bool:
    key = key.lower()
    return key in SINGLE_VALUED_GLOBAL_KEYS or key.startswith(_SINGLE_VALUED_PREFIXES)


@dataclass(frozen=True, slots=True)
class OperatorName:
    written: str
    base: str  # canonical, e.g. "StringNotEquals"
    set_op: str | None  # "ForAllValues" | "ForAnyValue" | None
    if_exists: bool

    @property
    def kind(self) -> str:
        return OPERATORS[self.base][0]

    @property
    def negated(self) -> bool:
        return OPERATORS[self.base][1]


def parse_operator(written: str) -> OperatorName | None:
    """`ForAnyValue:StringLikeIfExists` -> parts; None when no such operator exists."""
    set_op = None
    name = written
    if ":" in name:
        prefix, name = name.split(":", 1)
        set_op = SET_PREFIXES.get(prefix.lower())
        if set_op is None:
            return None
    if_exists = False
    if name.lower().endswith("ifexists"):
        name, if_exists = name[: -len("IfExists")], True
    base = _BY_LOWER.get(name.lower())
    if base is None or (base == "Null" and (if_exists or set_op)):
        return None
    return OperatorName(written, base, set_op, if_exists)


# ---------------------------------------------------------------- value conversions

@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


_EPOCH = re.compile(r"^-?\d+(\.\d+)?$")


@lru_cache(maxsize=4096)
def parse_date(text: str) -> float | None:
    """ISO 8601 (date, date-time, with or without zone; no zone means UTC) or epoch seconds."""
    text = text.strip()
    if _EPOCH.match(text):
        return float(text)
    candidate = text
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


@lru_cache(maxsize=4096)
def parse_network(text: str):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse_request_ip(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        net = parse_network(text)
        return net


def _decode_binary(text: str) -> bytes | str:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        return text


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "eq": lambda r, p: r == p, "lt": lambda r, p: r < p, "le": lambda r, p: r <= p,
    "gt": lambda r, p: r > p, "ge": lambda r, p: r >= p,
}


def value_error(kind: str, value: str) -> str | None:
    """Why a policy value cannot work with this operator kind, or None."""
    if kind.startswith("numeric") and parse_number(value) is None:
        return f"{value!r} is not a number"
    if kind.startswith("date") and parse_date(value) is None:
        return f"{value!r} is not a date (use ISO 8601 like 2026-01-31T00:00:00Z, or epoch seconds)"
    if kind == "ip" and parse_network(value) is None:
        return f"{value!r} is not an IP address or CIDR range"
    return None


def make_matcher(kind: str, policy_value: tuple[tuple[str, str], ...]) -> Callable[[str], bool]:
    """A predicate over one request value for one (already substituted) policy value."""
    if kind == "string":
        expected = plain_text(policy_value)
        return lambda r: r == expected
    if kind == "string_ic":
        expected = plain_text(policy_value).casefold()
        return lambda r: r.casefold() == expected
    if kind == "string_like":
        return glob_matcher(policy_value)
    if kind == "arn":
        arn = arn_matcher(policy_value)
        return lambda r: r.count(":") >= 5 and arn(r)
    text = plain_text(policy_value)
    if kind.startswith("numeric"):
        expected_n = parse_number(text)
        cmp = _COMPARE[kind.split("_")[1]]
        if expected_n is None:
            return lambda r: False

        def numeric(r: str) -> bool:
            got = parse_number(r)
            return got is not None and cmp(got, expected_n)
        return numeric
    if kind.startswith("date"):
        expected_d = parse_date(text)
        cmp = _COMPARE[kind.split("_")[1]]
        if expected_d is None:
            return lambda r: False

        def date(r: str) -> bool:
            got = parse_date(r)
            return got is not None and cmp(got, expected_d)
        return date
    if kind == "bool":
        expected_b = text.lower()
        return lambda r: r.lower() == expected_b
    if kind == "binary":
        expected_bin = _decode_binary(text)
        return lambda r: _decode_binary(r) == expected_bin
    if kind == "ip":
        net = parse_network(text)
        if net is None:
            return lambda r: False

        seen: dict[str, bool] = {}  # the same few source addresses come back request after request

        def ip(r: str) -> bool:
            hit = seen.get(r)
            if hit is None:
                got = _parse_request_ip(r)
                if got is None or got.version != net.version:
                    hit = False
                elif isinstance(got, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
                    hit = got.subnet_of(net)  # type: ignore[arg-type]
                else:
                    hit = got in net
                if len(seen) > 1024:
                    seen.clear()
                seen[r] = hit
            return hit
        return ip
    raise AssertionError(kind)


class Condition:
    """One operator/key pair with its values, ready to evaluate against a request context."""

    __slots__ = ("operator", "key", "key_written", "values", "pointer", "_kind", "_negated",
                 "_set", "_if_exists", "_static", "_parts")

    def __init__(self, operator: OperatorName, key_written: str, values: list[str],
                 pointer: str, *, variables: bool) -> None:
        self.operator = operator
        self.key_written = key_written
        self.key = key_written.lower()
        self.values = tuple(values)
        self.pointer = pointer
        self._kind = operator.kind
        self._negated = operator.negated
        self._set = operator.set_op
        self._if_exists = operator.if_exists
        use_vars = variables and self._kind in _VARIABLE_KINDS
        self._parts: tuple[tuple[Part, ...], ...] = tuple(
            split_variables(v, variables=use_vars) for v in values)
        if self._kind == "null":
            self._static = []
        elif any(has_variables(p) for p in self._parts):
            self._static = None
        else:
            self._static = [make_matcher(self._kind, p) for p in self._parts]  # type: ignore[arg-type]

    def referenced_keys(self) -> list[str]:
        keys = [self.key]
        for parts in self._parts:
            keys.extend(p.key for p in parts if not isinstance(p, tuple))
        return keys

    def evaluate(self, context: dict[str, list[str]], missing: list[str]) -> bool:
        got = context.get(self.key)
        if self._kind == "null":
            present = bool(got)
            return any((v.lower() == "true") != present for v in self.values)
        if not got:
            if got is None:
                missing.append(self.key_written)
            if self._if_exists or self._set == "ForAllValues":
                return True
            if self._set == "ForAnyValue":
                return False
            return self._negated
        matchers = self._static
        if matchers is None:
            matchers = []
            for parts in self._parts:
                resolved = resolve(parts, context, missing)
                if resolved is None:
                    raise UnresolvedVariable(missing[-1] if missing else "")
                matchers.append(make_matcher(self._kind, resolved))

        if self._set is None:
            found = False
            for value in got:
                for m in matchers:
                    if m(value):
                        found = True
                        break
                if found:
                    break
            return not found if self._negated else found
        hits = [any(m(v) for m in matchers) for v in got]
        if self._negated:
            hits = [not h for h in hits]
        return any(hits) if self._set == "ForAnyValue" else all(hits)
