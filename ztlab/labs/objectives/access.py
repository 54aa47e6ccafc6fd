"""Access objectives: requests a principal must be allowed, and requests it must be denied.

Decided by the policy engine over the account's real policies, so any correct solution passes,
whatever its wording, and an over-broad one fails.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from ztlab.content.models.lab import AccessObjective, AccessRequest
from ztlab.access import AccessReadError, caller_for, caller_text, policy_set_for
from ztlab.labs.objectives.subjects import first_missing, missing_message
from ztlab.labs.references import UnknownReference, account_names, missing_resource_message, resolve
from ztlab.labs.results import Verdict
from ztlab.labs.workspace import WorkspaceFileError, read_session_policy
from ztlab.policy import Policy, PolicySet, Request, evaluate
from ztlab.policy.evaluate import resource_policy_required
from ztlab.snapshot import AccountSnapshot


def grade_access(spec: AccessObjective, snapshot: AccountSnapshot, names: dict) -> Verdict:
    """Every listed request decided as the objective requires, or the ones that are not."""
    # Callers and the resources of allowed requests must exist; resources of denied requests may be
    # hypothetical ("cannot create user backdoor"). With scp_account they live in a member account this
    # snapshot does not hold.
    spec, session, early = prepare(spec, snapshot, names, lambda s: [r.caller for r in s.allowed + s.denied if r.caller]
                                   + ([r.resource for r in s.allowed] if not s.scp_account else []))
    if early:
        return early
    problems: list[str] = []
    where: list[str] = []
    evidence: list[dict] = []
    for expected, requests in (("allowed", spec.allowed), ("denied", spec.denied)):
        for item in requests:
            try:
                outcome = _decide(spec.principal, item, snapshot, session, spec.scp_account,
                                  caller_chooses=expected == "denied")
            except AccessReadError as exc:
                return Verdict("FAIL", f"A policy in the account cannot be read: {exc}")
            allowed = outcome["decision"] == "allowed"
            if allowed != (expected == "allowed"):
                verb = "can" if allowed else "cannot"
                problems.append(f"{_short(outcome['caller'])} {verb} {item.action} on {_short(item.resource)}"
                                f"{_context_text(item)}: {outcome['reason']}")
                where.extend(outcome["where"])
                evidence.append({"expected": expected, **outcome})
    if problems:
        return Verdict("FAIL", "\n".join(problems), sorted(set(where)), evidence)
    total = len(spec.allowed) + len(spec.denied)
    return Verdict("PASS", f"All {total} access requests were decided as required.")


def prepare(spec, snapshot: AccountSnapshot, names: dict, must_exist: Callable[[Any], list[str]]
            ) -> tuple[Any, list[Policy], Verdict | None]:
    """(the spec with names filled in, its session policies, None), or a verdict that ends grading
    before any request is asked.

    The principal and what `must_exist(spec)` lists have to exist: a deleted role is denied everything,
    which would pass "cannot write" vacuously. Only an objective that says so (`absent: pass`) takes a
    deleted principal as the fix.
    """
    spec, failure = resolved(spec, snapshot, names)
    if failure:
        return spec, [], Verdict("FAIL", failure)
    gone = first_missing(snapshot, [spec.principal]) if not spec.scp_account else None
    if gone and spec.absent == "pass":
        return spec, [], Verdict("PASS", f"{gone[0].upper()}{gone[1:]}, so it can do nothing at all.")
    missing = gone or first_missing(snapshot, must_exist(spec))
    if missing:
        return spec, [], Verdict("FAIL", missing_message(missing))
    try:
        return spec, session_policies(spec.session_policy, names), None
    except WorkspaceFileError as exc:
        return spec, [], Verdict("FAIL", str(exc), [exc.where])


def resolved(spec, snapshot: AccountSnapshot, names: dict):
    """(the spec with `${name}` references substituted, None) or (spec, why it cannot be graded yet)."""
    try:
        return type(spec).model_validate(resolve(spec.model_dump(), {**account_names(snapshot), **names})), None
    except UnknownReference as exc:
        message = missing_resource_message(exc)
        if message is None:
            raise
        return spec, message


def session_policies(path: str | None, names: dict) -> list[Policy]:
    """The learner's session policy, if the objective names one (WorkspaceFileError when unreadable)."""
    return [read_session_policy(path, names.get("workspace"))] if path else []


# Request headers the caller writes as it likes. A condition on them keeps out nobody who wants in
# (AWS: do not use aws:Referer "to prevent unauthorized parties from making direct AWS requests"), so a
# request that must be denied is asked again with every value such a condition looks for.
CALLER_CHOSEN_KEYS = ("aws:referer", "aws:useragent")


def _decide(principal: str, item: AccessRequest, snapshot: AccountSnapshot, session: list[Policy] | None = None,
            scp_account: str | None = None, caller_chooses: bool = False) -> dict:
    caller = caller_for(snapshot, item.caller or principal)
    context = service_context(item.action, item.context)
    policies = policy_set_for(snapshot, caller, item.resource, session=session, scp_account=scp_account)
    request = Request(action=item.action, resource=item.resource, caller=caller,
                      resource_owner=scp_account or snapshot.account_id, context=context)
    evaluation = evaluate(request, policies)
    chosen: dict[str, str] = {}
    if caller_chooses and evaluation.decision != "allowed":
        for extra in _caller_chosen_contexts(policies, context):
            tried = evaluate(Request(action=item.action, resource=item.resource, caller=caller,
                                     resource_owner=request.resource_owner, context={**context, **extra}), policies)
            if tried.decision == "allowed":
                evaluation, chosen = tried, extra
                break
    decision, failed_layer = evaluation.decision, evaluation.failed_layer
    guard = _guarding_policy(item)
    if decision == "allowed" and guard and not any(m.layer == "resource" and m.effect == "Allow" for m in evaluation.matched):
        # A role's trust policy and a KMS key policy are not one more place to grant access: they must
        # allow the caller (or its account) themselves, however much the caller's own policies allow.
        decision, failed_layer = "implicitDeny", "resource"
    matched = [
        {"layer": m.layer, "policy": m.policy_name, "statement": m.index, "sid": m.sid, "pointer": m.pointer, "effect": m.effect}
        for m in evaluation.matched
    ]
    if decision == "allowed":
        allow = [m for m in matched if m["effect"] == "Allow"]
        reason = "allowed by " + ", ".join(_statement(m) for m in allow) if allow else "allowed"
        if chosen:
            sent = ", ".join(f"{k}={v}" for k, v in chosen.items())
            reason += f" once the caller sends {sent}: a header the caller writes itself proves nothing"
    elif decision == "explicitDeny":
        reason = "explicitly denied by " + ", ".join(_statement(m) for m in matched if m["effect"] == "Deny")
    elif failed_layer == "resource" and guard:
        reason = f"the {guard} does not allow this caller (implicit deny)"
    else:
        layer = failed_layer or "identity"
        reason = f"no statement allows it (implicit deny; the {layer} layer does not allow it)"
        if evaluation.missing_context:
            reason += "; the request lacks " + ", ".join(evaluation.missing_context)
    return {
        "caller": caller_text(caller),
        "action": item.action,
        "resource": item.resource,
        "context": item.context,
        "decision": decision,
        "reason": reason,
        "matched": matched,
        "where": [f"{m['policy']} {m['sid'] or '#' + str(m['statement'])}" for m in matched],
    }


def _caller_chosen_contexts(policies: PolicySet, context: dict) -> list[dict[str, str]]:
    """One context per value a condition on a caller-chosen key looks for (wildcards filled in)."""
    given = {k.lower() for k in context}
    statements = [st for p in [*policies.identity, policies.resource, policies.boundary, *policies.session,
                               *[q for level in policies.scps for q in level], *[q for level in policies.rcps for q in level]]
                  if p is not None for st in p.statements]
    out: dict[tuple[str, str], None] = {}
    for st in statements:
        for cond in st.conditions:
            if cond.key in CALLER_CHOSEN_KEYS and cond.key not in given:
                for value in cond.values:
                    out[(cond.key, value.replace("*", "x").replace("?", "x"))] = None
    return [{key: value} for key, value in out]


def service_context(action: str, context: dict) -> dict:
    """The request context with what the service always sends. Every S3 request arrives over HTTPS or
    HTTP, so aws:SecureTransport is never absent (a question that leaves it out asks about a request
    that cannot happen, and fails a correct TLS condition); HTTPS unless the objective says otherwise."""
    out = dict(context)
    if action.lower().startswith("s3:") and not any(k.lower() == "aws:securetransport" for k in out):
        out["aws:SecureTransport"] = True
    return out


def _guarding_policy(item: AccessRequest) -> str | None:
    """The kind of resource policy that must itself allow this request (the engine's rule), if any."""
    if not resource_policy_required(item.action.lower(), item.resource):
        return None
    return "trust policy" if ":role/" in item.resource else "key policy"


def _statement(m: dict) -> str:
    label = f"statement '{m['sid']}'" if m["sid"] else f"statement #{m['statement']}"
    return f"{label} of {m['policy']}"


def _short(arn: str) -> str:
    """`role/x`, `bucket/key`: the part of an ARN a learner recognises."""
    if not arn.startswith("arn:"):
        return arn
    resource = arn.split(":", 5)[-1]
    if resource.startswith("assumed-role/"):
        return "role/" + resource.split("/")[1]
    return resource


def _context_text(item: AccessRequest) -> str:
    if not item.context:
        return ""
    return " (" + ", ".join(f"{k}={json.dumps(v)}" for k, v in item.context.items()) + ")"
