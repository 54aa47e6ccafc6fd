"""Policy documents: parse, validate with located errors, normalise once, compile matchers."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote

from ztlab.policy.conditions import (
    Condition, is_single_valued_global, parse_operator, value_error,
)
from ztlab.policy.errors import Diagnostic, PolicyError
from ztlab.policy.jsonpos import JSONSyntaxError, Located, join_pointer, load_located
from ztlab.policy.patterns import (
    UnresolvedVariable, action_matcher, has_variables, resolve, resource_matcher, split_variables,
)
from ztlab.policy.principals import Caller, match_aws_principal, normalise_aws_principal, strongest

VERSIONS = ("2012-10-17", "2008-10-17")
TOP_LEVEL = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                      "Principal", "NotPrincipal", "Condition")
PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_ACTION = re.compile(r"^[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_-]*$")
PolicyKind = Literal["identity", "resource", "boundary", "session", "scp"]
_NO_PRINCIPAL_KINDS = ("identity", "boundary", "session", "scp")
_MEMO_LIMIT = 4096


@dataclass
class PrincipalSpec:
    """A Principal / NotPrincipal element. `everyone` is the bare "*"."""

    everyone: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical: tuple[str, ...] = ()

    def match(self, caller: Caller) -> str | None:
        """How this element names the caller (see principals.match_aws_principal)."""
        if self.everyone:
            return "any"
        best: str | None = None
        for value in self.aws:
            best = strongest(best, match_aws_principal(value, caller))
        if caller.service_name and any(s.lower() == caller.service_name.lower() for s in self.service):
            best = strongest(best, "direct")
        if caller.provider and any(f.lower() == caller.provider.lower() for f in self.federated):
            best = strongest(best, "direct")
        if caller.canonical_user and caller.canonical_user in self.canonical:
            best = strongest(best, "direct")
        return best

    def excludes(self, caller: Caller) -> bool:
        """For NotPrincipal: is the caller exempt? Every name in its identity chain (its own
        ARN and its account) must be listed; "*" exempts everyone."""
        if self.everyone or "*" in self.aws:
            return True
        if caller.principal_type == "Service":
            return any(s.lower() == (caller.service_name or "").lower() for s in self.service)
        if caller.principal_type == "Federated":
            return any(f.lower() == (caller.provider or "").lower() for f in self.federated)
        if caller.principal_type == "CanonicalUser":
            return (caller.canonical_user or "") in self.canonical
        chain = caller.identity_chain()
        if not chain:
            return False
        listed = {normalise_aws_principal(v, caller.partition) for v in self.aws}
        # a role may be listed with its path; the session only knows the role's name
        roles = {v for v in self.aws if match_aws_principal(v, caller) == "role"}
        return all(name in listed or (name == caller.role_arn and roles) for name in chain)


class Statement:
    """One statement, normalised (lists everywhere, strings everywhere) and compiled."""

    def __init__(self, *, index: int, pointer: str, sid: str | None, effect: str,
                 actions: list[str] | None, not_actions: list[str] | None,
                 resources: list[str] | None, not_resources: list[str] | None,
                 principal: PrincipalSpec | None, not_principal: PrincipalSpec | None,
                 conditions: list[Condition], variables: bool) -> None:
        self.index, self.pointer, self.sid, self.effect = index, pointer, sid, effect
        self.actions, self.not_actions = actions, not_actions
        self.resources, self.not_resources = resources, not_resources
        self.principal, self.not_principal = principal, not_principal
        self.names_no_principal = principal is None and not_principal is None  # identity-side: applies as is
        self.conditions = conditions
        self.variables = variables  # Version 2012-10-17: ${...} are policy variables
        self._action_match = [action_matcher(a) for a in (actions if actions is not None else not_actions or [])]
        self._action_memo: dict[str, bool] = {}
        self._resource_parts = [split_variables(r, variables=variables)
                                for r in (resources if resources is not None else not_resources or [])]
        self._resource_static = None
        if not any(has_variables(p) for p in self._resource_parts):
            self._resource_static = [resource_matcher(p) for p in self._resource_parts]  # type: ignore[arg-type]
        self._resource_memo: dict[str, bool] = {}

    @property
    def is_allow(self) -> bool:
        return self.effect == "Allow"

    def matches_action(self, action: str) -> bool:
        """`action` must already be lower-case."""
        hit = self._action_memo.get(action)
        if hit is None:
            hit = any(match(action) for match in self._action_match)
            if self.not_actions is not None:
                hit = not hit
            if len(self._action_memo) > _MEMO_LIMIT:
                self._action_memo.clear()
            self._action_memo[action] = hit
        return hit

    def matches_resource(self, resource: str, context: dict[str, list[str]], missing: list[str]) -> bool:
        if self.resources is None and self.not_resources is None:
            return True  # trust policies name no resource: the statement covers the policy's own resource
        if self._resource_static is not None:
            hit = self._resource_memo.get(resource)
            if hit is None:
                hit = any(match(resource) for match in self._resource_static)
                if len(self._resource_memo) > _MEMO_LIMIT:
                    self._resource_memo.clear()
                self._resource_memo[resource] = hit
        else:
            hit = False
            for parts in self._resource_parts:
                resolved = resolve(parts, context, missing)
                if resolved is None:
                    raise UnresolvedVariable(missing[-1] if missing else "")
                if resource_matcher(resolved)(resource):
                    hit = True
                    break
        return (not hit) if self.not_resources is not None else hit

    def principal_match(self, caller: Caller) -> str | None:
        """None when the statement does not apply to the caller; otherwise how it names it.
        Statements without Principal/NotPrincipal (identity-side policies) return "direct"."""
        if self.principal is not None:
            return self.principal.match(caller)
        if self.not_principal is not None:
            return None if self.not_principal.excludes(caller) else "any"
        return "direct"

    def conditions_hold(self, context: dict[str, list[str]], missing: list[str]) -> bool:
        """Raises UnresolvedVariable when a condition value names a variable the request lacks."""
        ok = True
        unresolved: UnresolvedVariable | None = None
        for condition in self.conditions:
            # keep evaluating after a failure so every missing key is reported
            try:
                if not condition.evaluate(context, missing):
                    ok = False
            except UnresolvedVariable as exc:
                unresolved = exc
        if unresolved is not None:
            raise unresolved
        return ok

    def __repr__(self) -> str:
        return f"Statement({self.effect}, sid={self.sid!r}, pointer={self.pointer!r})"


@dataclass
class Policy:
    name: str
    version: str | None
    id: str | None
    statements: list[Statement]
    document: dict
    diagnostics: list[Diagnostic] = field(default_factory=list)
    located: Located | None = None

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        return self.located.position(pointer, key=key) if self.located else None

    def end_position(self, pointer: str) -> tuple[int, int] | None:
        return self.located.end_position(pointer) if self.located else None

    def statements_for(self, action: str) -> list[Statement]:
        """The statements whose Action/NotAction covers `action` (lower-case), memoised:
        most statements of a policy never concern a given action."""
        memo = self.__dict__.setdefault("_by_action", {})
        found = memo.get(action)
        if found is None:
            found = [st for st in self.statements if st.matches_action(action)]
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            memo[action] = found
        return found

    def span(self, statement: Statement) -> tuple[int | None, int | None, int | None, int | None]:
        """(line, column, end line, end column) of a statement, computed once."""
        spans = self.__dict__.setdefault("_spans", {})
        found = spans.get(statement.index)
        if found is None:
            start, end = self.position(statement.pointer), self.end_position(statement.pointer)
            found = (start[0] if start else None, start[1] if start else None,
                     end[0] if end else None, end[1] if end else None)
            spans[statement.index] = found
        return found


class DocumentParser:
    """Validates a decoded document element by element; lint reuses it statement by statement."""

    def __init__(self, name: str, located: Located | None, kind: PolicyKind | None) -> None:
        self.name, self.located, self.kind = name, located, kind
        self.diagnostics: list[Diagnostic] = []

    def where(self, pointer: str, key: bool = False) -> tuple[int | None, int | None]:
        pos = self.located.position(pointer, key=key) if self.located else None
        return pos if pos else (None, None)

    def fail(self, message: str, pointer: str, *, key: bool = False) -> PolicyError:
        line, col = self.where(pointer, key)
        return PolicyError(message, pointer, line, col, name=self.name)

    def note(self, code: str, message: str, pointer: str, fix: str = "", key: bool = False) -> None:
        line, col = self.where(pointer, key)
        self.diagnostics.append(Diagnostic(code, message, pointer, line, col, fix))

    def unknown(self, key: str, allowed: tuple[str, ...], pointer: str, what: str) -> PolicyError:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) or \
            [a for a in allowed if a.lower() == key.lower()]
        hint = f" Did you mean {close[0]!r}?" if close else f" Allowed: {', '.join(allowed)}."
        return self.fail(f"unknown element {key!r} in {what}.{hint}", pointer, key=True)

    def strings(self, value: object, pointer: str, element: str) -> list[str]:
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            raise self.fail(f"{element} must list at least one value", pointer)
        out = []
        for i, item in enumerate(items):
            p = join_pointer(pointer, i) if isinstance(value, list) else pointer
            if not isinstance(item, str):
                raise self.fail(f"{element} values must be strings, got {_json_type(item)}", p)
            if not item:
                raise self.fail(f"{element} values must not be empty", p)
            out.append(item)
        return out

    def parse(self, doc: object) -> Policy:
        if not isinstance(doc, dict):
            raise self.fail(f"a policy must be a JSON object, got {_json_type(doc)}", "")
        for key in doc:
            if key not in TOP_LEVEL:
                raise self.unknown(key, TOP_LEVEL, join_pointer("", key), "the policy")
        version = doc.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail(f"Version must be \"2012-10-17\" (or the legacy \"2008-10-17\"), got {version!r}",
                            "/Version")
        if version is None:
            self.note("missing-version", "no Version: AWS uses 2008-10-17, where ${...} policy variables "
                      "are plain text", "", 'add "Version": "2012-10-17"')
        policy_id = doc.get("Id")
        if policy_id is not None and not isinstance(policy_id, str):
            raise self.fail("Id must be a string", "/Id")
        if "Statement" not in doc:
            raise self.fail("the policy has no Statement element", "")
        raw = doc["Statement"]
        if isinstance(raw, dict):
            entries = [(raw, "/Statement")]
        elif isinstance(raw, list):
            entries = [(s, f"/Statement/{i}") for i, s in enumerate(raw)]
        else:
            raise self.fail(f"Statement must be an object or a list of objects, got {_json_type(raw)}",
                            "/Statement")
        variables = version == "2012-10-17"
        statements = [self.statement(s, i, p, variables) for i, (s, p) in enumerate(entries)]
        seen: dict[str, str] = {}
        for st in statements:
            if st.sid:
                if st.sid in seen:
                    self.note("duplicate-sid", f"Sid {st.sid!r} is used twice (also at {seen[st.sid]})",
                              st.pointer + "/Sid", "give every statement its own Sid")
                seen[st.sid] = st.pointer
        if self.located:
            for dup in self.located.duplicates:
                self.note("duplicate-key", "this key appears twice in the same object; only the last "
                          "one counts", dup, "merge the two entries", key=True)
        return Policy(self.name, version, policy_id, statements, doc, self.diagnostics, self.located)

    def statement(self, st: object, index: int, pointer: str, variables: bool) -> Statement:
        if not isinstance(st, dict):
            raise self.fail(f"a statement must be a JSON object, got {_json_type(st)}", pointer)
        for key in st:
            if key not in STATEMENT_ELEMENTS:
                raise self.unknown(key, STATEMENT_ELEMENTS, join_pointer(pointer, key), "a statement")
        sid = st.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise self.fail("Sid must be a string", pointer + "/Sid")
        if "Effect" not in st:
            raise self.fail('the statement has no Effect: add "Effect": "Allow" or "Deny"', pointer)
        effect = st["Effect"]
        if effect not in ("Allow", "Deny"):
            raise self.fail(f'Effect must be "Allow" or "Deny", got {json.dumps(effect)}', pointer + "/Effect")
        pairs = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))
        for a, b in pairs:
            if a in st and b in st:
                raise self.fail(f"a statement may have {a} or {b}, not both", join_pointer(pointer, b), key=True)
        if "Action" not in st and "NotAction" not in st:
            raise self.fail("the statement has no Action or NotAction", pointer)
        actions = not_actions = resources = not_resources = None
        if "Action" in st:
            actions = self.actions(st["Action"], pointer + "/Action", "Action")
        else:
            not_actions = self.actions(st["NotAction"], pointer + "/NotAction", "NotAction")
        if "Resource" in st:
            resources = self.strings(st["Resource"], pointer + "/Resource", "Resource")
        elif "NotResource" in st:
            not_resources = self.strings(st["NotResource"], pointer + "/NotResource", "NotResource")
        principal = not_principal = None
        if "Principal" in st:
            principal = self.principal(st["Principal"], pointer + "/Principal", "Principal")
        elif "NotPrincipal" in st:
            not_principal = self.principal(st["NotPrincipal"], pointer + "/NotPrincipal", "NotPrincipal")
        if self.kind in _NO_PRINCIPAL_KINDS and (principal or not_principal):
            element = "Principal" if principal else "NotPrincipal"
            raise self.fail(f"{element} is not allowed in {_KIND_NAMES[self.kind]}: it applies to whoever "
                            "it is attached to", join_pointer(pointer, element), key=True)
        if self.kind == "resource" and not (principal or not_principal):
            raise self.fail("a resource-based policy statement needs a Principal (who it applies to)", pointer)
        if self.kind in _NO_PRINCIPAL_KINDS and resources is None and not_resources is None:
            raise self.fail(f"the statement has no Resource or NotResource (required in {_KIND_NAMES[self.kind]})",
                            pointer)
        conditions = self.conditions(st.get("Condition"), pointer + "/Condition", variables) \
            if "Condition" in st else []
        return Statement(index=index, pointer=pointer, sid=sid, effect=effect, actions=actions,
                         not_actions=not_actions, resources=resources, not_resources=not_resources,
                         principal=principal, not_principal=not_principal, conditions=conditions,
                         variables=variables)

    def actions(self, value: object, pointer: str, element: str) -> list[str]:
        items = self.strings(value, pointer, element)
        for i, action in enumerate(items):
            p = join_pointer(pointer, i) if isinstance(value, list) else pointer
            if action != "*" and not _ACTION.match(action):
                raise self.fail(f"{element} {action!r} is not an action: write service:Action, e.g. "
                                "s3:GetObject (wildcards * and ? allowed)", p)
        return items

    def principal(self, value: object, pointer: str, element: str) -> PrincipalSpec:
        if value == "*":
            return PrincipalSpec(everyone=True)
        if not isinstance(value, dict):
            raise self.fail(f'{element} must be "*" or an object like {{"AWS": "arn:aws:iam::111122223333:root"}}',
                            pointer)
        if not value:
            raise self.fail(f"{element} must name at least one principal", pointer)
        spec = PrincipalSpec()
        for key, names in value.items():
            if key not in PRINCIPAL_TYPES:
                raise self.unknown(key, PRINCIPAL_TYPES, join_pointer(pointer, key), element)
            listed = tuple(self.strings(names, join_pointer(pointer, key), f"{element} {key}"))
            if key == "AWS":
                spec.aws = listed
            elif key == "Service":
                spec.service = listed
            elif key == "Federated":
                spec.federated = listed
            else:
                spec.canonical = listed
        return spec

    def conditions(self, block: object, pointer: str, variables: bool) -> list[Condition]:
        if not isinstance(block, dict):
            raise self.fail('Condition must be an object like {"Bool": {"aws:SecureTransport": "false"}}', pointer)
        out: list[Condition] = []
        for op_name, keys in block.items():
            op_pointer = join_pointer(pointer, op_name)
            operator = parse_operator(op_name)
            if operator is None:
                raise self.fail(f"{op_name!r} is not a condition operator (e.g. StringEquals, "
                                "ArnLike, Bool, IpAddress, ForAnyValue:StringLike, StringEqualsIfExists)",
                                op_pointer, key=True)
            if not isinstance(keys, dict) or not keys:
                raise self.fail(f"{op_name} must map condition keys to values", op_pointer)
            for key, raw in keys.items():
                key_pointer = join_pointer(op_pointer, key)
                if ":" not in key or key.startswith(":") or key.endswith(":"):
                    raise self.fail(f"{key!r} is not a condition key: write prefix:name, e.g. aws:SourceIp",
                                    key_pointer, key=True)
                values = self.condition_values(raw, key_pointer)
                if operator.kind == "null":
                    for v in values:
                        if v.lower() not in ("true", "false"):
                            raise self.fail(f'Null takes "true" (key absent) or "false" (key present), got {v!r}',
                                            key_pointer)
                else:
                    for i, v in enumerate(values):
                        if variables and "${" in v:
                            continue
                        problem = value_error(operator.kind, v)
                        if problem:
                            p = join_pointer(key_pointer, i) if isinstance(raw, list) else key_pointer
                            raise self.fail(f"{op_name}: {problem}", p)
                if operator.set_op and is_single_valued_global(key):
                    self.note("set-operator-single-valued",
                              f"{operator.set_op}: is for multivalued keys; {key} has a single value, "
                              f"so {operator.set_op}:{operator.base} behaves unexpectedly when the key is absent",
                              key_pointer, f"use {operator.base}{'IfExists' if operator.if_exists else ''} "
                              "without the set operator", key=True)
                out.append(Condition(operator, key, values, key_pointer, variables=variables))
        return out

    def condition_values(self, raw: object, pointer: str) -> list[str]:
        items = raw if isinstance(raw, list) else [raw]
        if isinstance(raw, list) and not raw:
            raise self.fail("a condition key needs at least one value", pointer)
        out = []
        for i, item in enumerate(items):
            p = join_pointer(pointer, i) if isinstance(raw, list) else pointer
            text = scalar_text(item)
            if text is None:
                raise self.fail(f"condition values must be strings, numbers or booleans, got {_json_type(item)}", p)
            out.append(text)
        return out


_KIND_NAMES = {"identity": "an identity-based policy", "boundary": "a permissions boundary",
               "session": "a session policy", "scp": "a service control policy"}


def scalar_text(item: object) -> str | None:
    """JSON false == "false", 10 == "10": AWS compares condition values as strings."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return str(int(item)) if item.is_integer() else repr(item)
    if isinstance(item, str):
        return item
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


STRICT_CODES = ("set-operator-single-valued", "duplicate-key", "duplicate-sid")


def parse_policy(source: str | bytes | dict | Policy, *, name: str = "policy",
                 kind: PolicyKind | None = None, located: Located | None = None, strict: bool = False) -> Policy:
    """Parse and validate a policy document.

    `kind` adds the checks AWS makes for where the policy is attached (identity-side policies
    may not name a Principal and need a Resource; resource policies need a Principal).
    Raises PolicyError with a JSON pointer and, for text, the line and column. `located`
    gives positions for a dict that was read from a larger JSON text (see jsonpos.sub_located).
    With strict=True, suspicious but legal constructs (a set operator on a single-valued key,
    duplicate keys or Sids) are errors too; by default they are `policy.diagnostics`, because
    AWS accepts and evaluates them.
    """
    if isinstance(source, Policy):
        return source
    if isinstance(source, (bytes, bytearray)):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyError(f"the policy is not UTF-8 text ({exc.reason} at byte {exc.start})", name=name) from None
    if isinstance(source, str):
        if not source.strip():
            raise PolicyError("the policy is empty", name=name)
        if source.lstrip()[:3].upper() == "%7B":  # IAM's API returns documents URL-encoded
            source = unquote(source)
        try:
            located = load_located(source.lstrip("\ufeff"))
        except JSONSyntaxError as exc:
            raise PolicyError(exc.message, "", exc.line, exc.column, name=name) from None
        except RecursionError:
            raise PolicyError("the policy is nested too deeply", name=name) from None
        doc = located.value
    elif isinstance(source, dict):
        doc = source
    else:
        raise PolicyError(f"a policy must be JSON text or a dict, got {type(source).__name__}", name=name)
    policy = DocumentParser(name, located, kind).parse(doc)
    if strict:
        for d in policy.diagnostics:
            if d.code in STRICT_CODES:
                raise PolicyError(f"{d.message} (fix: {d.fix})" if d.fix else d.message, d.pointer, d.line, d.column,
                                  name=name)
    return policy
