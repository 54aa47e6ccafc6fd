"""Access questions for checks (the policies come from ztlab.access), answered by ztlab's policy engine (never by string matching).

A check asks "is there a caller, action, resource and request context for which this policy set
decides X?" over small enumerations: standard callers (same account, another account, anonymous),
representative actions, and request contexts built from the condition keys the policies mention
(each key absent, set to each value the policy names, or set to something else). The first
request that answers the question is the counterexample the finding shows.
"""

from __future__ import annotations

import ipaddress
import itertools
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from ztlab.access import caller_text
from ztlab.policy import Caller, Evaluation, Policy, PolicySet, Request, evaluate
from ztlab.policy.actions import expand_action
from ztlab.policy.context import derived_context

OUTSIDER_IP = "93.184.216.34"
OTHER_VALUE = "ztlab-other-value"
ABSENT = object()
MAX_COMBINATIONS = 256

# Context keys an outsider cannot choose: a condition on them really narrows who gets in.
OUTSIDER_CANNOT_SET = {
    "aws:sourcevpce", "aws:sourcevpc", "aws:vpcsourceip", "aws:principalorgid", "aws:principalorgpaths",
    "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
    "aws:sourceorgpaths", "aws:principalisawsservice", "aws:principalservicename", "aws:userid", "aws:username",
    "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "aws:principaltype", "aws:calledvia",
    "aws:calledviafirst", "aws:calledvialast", "aws:viaawsservice", "aws:sourceip", "aws:currenttime", "aws:epochtime",
}


# Keys the engine derives from the caller and the resource: varying them would describe requests
# that cannot happen (an outsider whose aws:PrincipalAccount is ours). Callers vary them instead.
DERIVED_KEYS = {"aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:userid", "aws:username",
                "aws:resourceaccount", "aws:principalisawsservice", "aws:principalservicename"}


# ---------------------------------------------------------------- contexts
def concrete(value: str) -> str:
    """A wildcard pattern made into one concrete value it matches."""
    return value.replace("*", "x").replace("?", "x")


def _candidates(key: str, values: set[str], kinds: set[str]) -> list[Any]:
    out: list[Any] = [ABSENT]
    if "bool" in kinds or key in ("aws:securetransport", "aws:multifactorauthpresent"):
        return [ABSENT, "true", "false"]
    for v in sorted(values):
        if "ip" in kinds:
            try:
                net = ipaddress.ip_network(v, strict=False)
                out.append(str(net.network_address + (1 if net.num_addresses > 2 else 0)))
            except ValueError:
                pass
        elif "numeric" in kinds:
            try:
                n = float(v)
                out.extend(str(int(x)) if float(x).is_integer() else str(x) for x in (n - 1, n, n + 1))
            except ValueError:
                pass
        elif "${" in v:
            continue
        else:
            out.append(concrete(v))
    out.append(OUTSIDER_IP if "ip" in kinds else ("999999" if "numeric" in kinds else OTHER_VALUE))
    return list(dict.fromkeys(out))


def condition_keys(policies: Iterable[Policy]) -> dict[str, tuple[set[str], set[str]]]:
    """key -> (values named in the policies, operator kinds) over every statement."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for policy in policies:
        for st in policy.statements:
            for cond in st.conditions:
                values, kinds = found.setdefault(cond.key, (set(), set()))
                values.update(cond.values)
                kinds.add(cond.operator.kind)
    return found


def contexts(policies: Iterable[Policy], fixed: dict[str, Any] | None = None, *,
             outsider: bool = False, base: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Request contexts to try: every key the policies test varied over its interesting values.

    `fixed` keys keep the given value (None = absent); with `outsider`, keys an outsider cannot
    choose stay absent (or at base values) rather than set to whatever the policy wants.
    """
    fixed = {k.lower(): v for k, v in (fixed or {}).items()}
    start = {k.lower(): v for k, v in (base or {}).items()}
    keys = condition_keys(policies)
    varied = []
    for key, (values, kinds) in sorted(keys.items()):
        if key in fixed or key in DERIVED_KEYS:
            continue
        if outsider and key in OUTSIDER_CANNOT_SET:
            continue
        varied.append((key, _candidates(key, values, kinds)))
    combos: Iterable[tuple[Any, ...]]
    total = 1
    for _, cands in varied:
        total *= len(cands)
    if total <= MAX_COMBINATIONS:
        combos = itertools.product(*[c for _, c in varied])
    else:  # too many: each key on its own, then everything at its first named value
        singles = []
        for i, (_, cands) in enumerate(varied):
            for c in cands:
                row = [ABSENT] * len(varied)
                row[i] = c
                singles.append(tuple(row))
        singles.append(tuple(c[1] if len(c) > 1 else ABSENT for _, c in varied))
        combos = singles
    out = []
    for combo in combos:
        ctx = dict(start)
        for (key, _), value in zip(varied, combo):
            if value is not ABSENT:
                ctx[key] = value
        for key, value in fixed.items():
            if value is None:
                ctx.pop(key, None)
            else:
                ctx[key] = value
        out.append(ctx)
    return out or [dict(start)]


# ---------------------------------------------------------------- searching
@dataclass
class Counterexample:
    request: Request
    evaluation: Evaluation

    def evidence(self) -> dict[str, Any]:
        r, e = self.request, self.evaluation
        statements = [{"policy": m.policy_name, "pointer": m.pointer, "effect": m.effect, "sid": m.sid, "line": m.line}
                      for m in (e.deciding or e.matched)]
        return {
            "pointer": statements[0]["pointer"] if statements else "",
            "request": {
                "caller": caller_text(r.caller),
                "action": r.action,
                "resource": r.resource,
                "context": {k: v for k, v in r.context.items()},
            },
            "decision": e.decision,
            "explanation": e.explain(),
            "statements": statements,
        }

    def describe(self) -> str:
        r = self.request
        ctx = ", ".join(f"{k}={v}" for k, v in r.context.items()) or "no condition keys"
        return f"{caller_text(r.caller)} calling {r.action} on {r.resource} ({ctx}) is {self.evaluation.decision}"


class RequestGrid:
    """Every (caller, (action, resource), context) combination, kept as its three axes so that
    `search` can tell which combinations the policies cannot distinguish without evaluating them."""

    def __init__(self, callers: Iterable[Caller], pairs: Iterable[tuple[str, str]], ctxs: Iterable[dict[str, Any]],
                 owner: str | None = None) -> None:
        self.callers = list(callers)
        self.pairs = list(dict.fromkeys(pairs))
        self.ctxs = list(ctxs)
        self.owner = owner

    def __iter__(self) -> Iterator[Request]:
        for caller in self.callers:
            for action, resource in self.pairs:
                for ctx in self.ctxs:
                    yield Request(action, resource, caller, resource_owner=self.owner, context=ctx)


def requests(callers: Iterable[Caller], actions: Iterable[tuple[str, str]], ctxs: Iterable[dict[str, Any]],
             owner: str | None = None) -> RequestGrid:
    return RequestGrid(callers, actions, ctxs, owner)


def search(grid: RequestGrid | Iterable[Request], policies: PolicySet | Callable[[Request], PolicySet],
           predicate: Callable[[Evaluation], bool]) -> Counterexample | None:
    """The first request whose evaluation satisfies `predicate`, or None.

    Requests the policies cannot tell apart (the same statements match the caller, the action and
    the resource; the same context) get the same decision, so only the first of each kind is
    evaluated. That keeps exhaustive questions cheap without sampling.
    """
    if callable(policies) or not isinstance(grid, RequestGrid):
        for request in grid:
            result = evaluate(request, policies(request) if callable(policies) else policies)
            if predicate(result):
                return Counterexample(request, result)
        return None
    statements = _statements(policies)
    exact_resources = any(st._resource_static is None and (st.resources is not None or st.not_resources is not None)
                          for st in statements)
    principal_keys = sorted({k for st in statements for c in st.conditions for k in c.referenced_keys()
                             if k.startswith("aws:principal") or k in ("aws:userid", "aws:username")})
    caller_sigs = [_caller_signature(c, grid.owner, statements, principal_keys) for c in grid.callers]
    pair_sigs = []
    for action, resource in grid.pairs:
        low = action.lower()
        parts = resource.split(":")
        account = parts[4] if len(parts) > 5 else None
        match = resource if exact_resources else tuple(
            (st.matches_action(low), st.matches_resource(resource, {}, [])) for st in statements)
        pair_sigs.append((account, match))
    ctx_sigs = [tuple(sorted((k.lower(), str(v)) for k, v in ctx.items())) for ctx in grid.ctxs]
    # The set of distinct (caller, pair, context) signatures is the product of each axis's distinct
    # signatures, so one representative per signature on each axis covers every request.
    callers = _representatives(grid.callers, caller_sigs)
    pairs = _representatives(grid.pairs, pair_sigs)
    ctxs = _representatives(grid.ctxs, ctx_sigs)
    for caller in callers:
        for action, resource in pairs:
            for ctx in ctxs:
                request = Request(action, resource, caller, resource_owner=grid.owner, context=ctx)
                result = evaluate(request, policies)
                if predicate(result):
                    return Counterexample(request, result)
    return None


def _representatives(items: list[Any], signatures: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for item, sig in zip(items, signatures):
        if sig not in seen:
            seen.add(sig)
            out.append(item)
    return out


def _statements(policy_set: PolicySet) -> list[Any]:
    out: list[Any] = []
    for p in [*policy_set.identity, policy_set.resource, policy_set.boundary, *policy_set.session,
              *[q for level in policy_set.scps for q in level],
              *[q for level in policy_set.rcps for q in level]]:
        if p is not None:
            out.extend(p.statements)
    return out


def _caller_signature(caller: Caller, owner: str | None, statements: list[Any], principal_keys: list[str]) -> tuple:
    derived = derived_context(caller, "", owner)
    return (caller.principal_type, caller.is_iam_principal, caller.account == (owner or caller.account),
            tuple(st.principal_match(caller) for st in statements),
            tuple((k, tuple(derived.get(k, ()))) for k in principal_keys))


# ---------------------------------------------------------------- actions and resources named by a policy
def expand_pattern(pattern: str, limit: int = 40) -> list[str]:
    """Real action names a pattern covers (the engine's action catalogue)."""
    if "*" not in pattern and "?" not in pattern:
        return [pattern]
    try:
        return list(expand_action(pattern))[:limit]
    except Exception:  # noqa: BLE001 - an unknown service just adds nothing
        return []


def policy_actions(policy: Policy, service: str) -> list[str]:
    """Concrete actions of `service` that the policy's statements name (wildcards expanded)."""
    out: list[str] = []
    for st in policy.statements:
        # NotAction lists name what a statement leaves out; the standard actions already probe the rest.
        for pattern in st.actions or []:
            if pattern.lower().startswith(service + ":"):
                out.extend(expand_pattern(pattern))
    return list(dict.fromkeys(out))


def policy_resources(policy: Policy, prefix: str) -> list[str]:
    """Concrete resources (wildcards filled in) the policy's statements name under `prefix`."""
    out: list[str] = []
    for st in policy.statements:
        for pattern in st.resources or st.not_resources or []:
            if pattern.startswith(prefix) and "${" not in pattern:
                out.append(concrete(pattern))
    return list(dict.fromkeys(out))
