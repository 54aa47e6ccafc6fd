"""Whole-scope objective: nothing in the account is left insecure, whoever made it.

Objectives that name resources miss what the learner adds: a new key whose policy grants kms:* to
everyone, a bucket shared through an ACL, a trust policy open to any account. This objective runs
every critical catalogue check of the lab's services, and the checks of the lab's own topic, over
every resource in the sandbox account (the lab's and the learner's alike) and fails on any FAIL.

Only critical checks by default: the emulator's account starts with a default VPC, no root MFA and
buckets without access logging, which no lab asks the learner to fix. Root-user checks are left out
for the same reason (a lab cannot enrol the sandbox root in MFA).
"""

from __future__ import annotations

from ztlab.content.models.lab import Lab, WholeScopeObjective
from ztlab.labs.objectives.access import resolved
from ztlab.labs.objectives.subjects import first_missing, missing_message
from ztlab.labs.results import Verdict
from ztlab.snapshot import AccountSnapshot

ACCOUNT_LEVEL = {"iam_root_mfa_enabled", "iam_root_no_access_keys", "iam_root_hardware_mfa"}


def selected_checks(spec: WholeScopeObjective, lab: Lab) -> list:
    from ztlab.checks import all_checks

    services = set(spec.services or lab.services)
    return [c for c in all_checks()
            if c.id not in spec.skip and c.id not in ACCOUNT_LEVEL and
            (c.id in spec.checks or (c.metadata.severity == "critical" and c.metadata.service in services))]


def grade_whole_scope(spec: WholeScopeObjective, lab: Lab, snapshot: AccountSnapshot, names: dict) -> Verdict:
    spec, failure = resolved(spec, snapshot, names)
    if failure:
        return Verdict("FAIL", failure)
    missing = first_missing(snapshot, spec.subjects)
    if missing:
        return Verdict("FAIL", missing_message(missing))
    checks = selected_checks(spec, lab)
    failed = []
    for check in checks:
        failed.extend(f for f in check.run(snapshot) if f.status == "FAIL")
    if not failed:
        return Verdict("PASS", f"Nothing in the account fails any of these {len(checks)} checks: {', '.join(c.id for c in checks)}.")
    shown = "; ".join(f"{f.check_id}: {f.message}" for f in failed[:3])
    more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
    evidence = [{"check": f.check_id, "resource": f.resource, "message": f.message, "evidence": f.evidence} for f in failed]
    return Verdict("FAIL", f"Something in the account is insecure: {shown}{more}.", sorted({f.resource for f in failed}), evidence)
