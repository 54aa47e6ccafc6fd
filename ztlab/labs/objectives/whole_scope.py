"""Whole-scope objective: nothing in the account is left insecure, whoever made it.

Objectives that name resources miss what the learner adds: a new key whose policy grants kms:* to
everyone, a bucket shared through an ACL, a new group open to the world. This objective runs every
catalogue check of the lab's services over every resource in the sandbox account (the lab's and the
learner's alike) and fails on any FAIL. A lab lists under `skip` the checks its story does not ask
for (bucket access logging in an IAM lab, say), each with the reason.
"""

from __future__ import annotations

from ztlab.content.models.lab import Lab, WholeScopeObjective
from ztlab.labs.results import Status
from ztlab.snapshot import AccountSnapshot


def grade_whole_scope(spec: WholeScopeObjective, lab: Lab, snapshot: AccountSnapshot) -> tuple[Status, str, list[str], list[dict]]:
    from ztlab.checks import all_checks

    services = set(spec.services or lab.services)
    checks = [c for c in all_checks() if c.metadata.service in services and c.id not in spec.skip]
    failed = []
    for check in checks:
        failed.extend(f for f in check.run(snapshot) if f.status == "FAIL")
    if not failed:
        return "PASS", f"Nothing in the account fails any of the {len(checks)} checks of {', '.join(sorted(services))}.", [], []
    shown = "; ".join(f"{f.check_id}: {f.message}" for f in failed[:3])
    more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
    evidence = [{"check": f.check_id, "resource": f.resource, "message": f.message, "evidence": f.evidence} for f in failed]
    return "FAIL", f"Something in the account is insecure: {shown}{more}.", sorted({f.resource for f in failed}), evidence
