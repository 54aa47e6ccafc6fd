"""Check objectives: a check from the library, run over the lab's own resources."""

from __future__ import annotations

from ztlab.content.models.lab import CheckObjective
from ztlab.labs.references import UnknownReference, account_names, missing_resource_message, resolve
from ztlab.labs.results import Verdict
from ztlab.snapshot import AccountSnapshot


def grade_check(spec: CheckObjective, snapshot: AccountSnapshot, names: dict) -> Verdict:
    from ztlab.checks import get_check

    try:
        scope = [str(s) for s in resolve(spec.resources, {**account_names(snapshot), **names})]
    except UnknownReference as exc:
        message = missing_resource_message(exc)
        if message is None:
            raise
        return Verdict("FAIL", message)
    check = get_check(spec.id)
    findings = check.run_in_scope(snapshot, scope or None)
    if spec.each:
        # A fix that removes what the check looks at (the password, the thing to protect) leaves the
        # briefing's need unmet: the engineer can no longer sign in at all.
        dropped = [f for f in findings if f.status == "NOT_APPLICABLE"]
        if dropped:
            return Verdict("FAIL", " ".join(f.message for f in dropped) + " It must keep working: secure it rather than remove it.",
                           [f.resource for f in dropped])
    relevant = [f for f in findings if f.status != "NOT_APPLICABLE"]
    if not relevant and spec.absent == "pass" and scope:
        return Verdict("PASS", f"{', '.join(scope)} no longer exists, so there is nothing left to fix.")
    if not relevant:
        missing = ", ".join(scope) if scope else "any resource"
        return Verdict("FAIL", f"Nothing to judge: {missing} was not found in the account. Fix the resource rather than "
                       "deleting it; `ztlab lab reset` brings it back.", scope)
    failed = [f for f in relevant if f.status == "FAIL"]
    unknown = [f for f in relevant if f.status == "UNKNOWN"]
    evidence = [{"resource": f.resource, "status": f.status, "message": f.message, "evidence": f.evidence} for f in failed + unknown]
    if failed:
        return Verdict("FAIL", " ".join(f.message for f in failed), [f.resource for f in failed], evidence)
    if unknown:
        return Verdict("UNKNOWN", " ".join(f.message for f in unknown), [f.resource for f in unknown], evidence)
    return Verdict("PASS", " ".join(f.message for f in relevant))
