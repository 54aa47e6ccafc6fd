"""Grade a lab: every objective over one snapshot of the account, with the why and the next hint."""

from __future__ import annotations

import time
from collections.abc import Callable

from ztlab.content.models.lab import Lab, Objective
from ztlab.labs.results import LabResult, ObjectiveResult, Verdict
from ztlab.labs.variants import fill
from ztlab.principles import PRINCIPLE_TITLES
from ztlab.snapshot import AccountSnapshot

WHY = {
    "verify-explicitly": "Every request must prove who makes it (strong identity, MFA, short-lived credentials).",
    "least-privilege": "Grant only the actions and resources the job needs, only while it needs them.",
    "micro-segmentation": "Each workload accepts traffic only from the workloads that must reach it.",
    "encrypt-everything": "Data is encrypted in transit and at rest, with keys you control and rotate.",
    "continuous-monitoring": "Every action is recorded and watched, so misuse is seen quickly.",
    "assume-breach": "Design as if an attacker is already inside: limit the blast radius, contain fast.",
}


def grade_objective(lab: Lab, objective: Objective, snapshot: AccountSnapshot, names: dict, hints_used: int = 0) -> ObjectiveResult:
    from ztlab.labs.objectives.access import grade_access
    from ztlab.labs.objectives.check import grade_check
    from ztlab.labs.objectives.reachability import grade_reachability

    principle = objective.principle or lab.principles[0]
    try:
        if objective.check is not None:
            verdict = grade_check(objective.check, snapshot, names)
        elif objective.access is not None:
            verdict = grade_access(objective.access, snapshot, names)
        elif objective.exact is not None:
            from ztlab.labs.objectives.exact import grade_exact

            verdict = grade_exact(objective.exact, snapshot, names)
        elif objective.nothing_new_insecure is not None:
            from ztlab.labs.objectives.whole_scope import grade_whole_scope

            verdict = grade_whole_scope(objective.nothing_new_insecure, lab, snapshot, names)
        else:
            verdict = grade_reachability(objective.reachability, snapshot, names)
    except Exception as exc:  # a grader bug must not hide the other objectives' verdicts
        verdict = Verdict("UNKNOWN", f"ztlab could not grade this objective: {type(exc).__name__}: {exc}")
    hint = None
    if verdict.status != "PASS" and objective.hints:
        hint = fill(objective.hints[min(hints_used, len(objective.hints) - 1)], names)
    return ObjectiveResult(
        id=objective.id,
        title=fill(objective.title, names),
        status=verdict.status,
        points=objective.points,
        awarded=objective.points if verdict.status == "PASS" else 0,
        message=verdict.message,
        where=verdict.where,
        why=f"{PRINCIPLE_TITLES[principle]}: {WHY[principle]}",
        principle=principle,
        still_works=objective.still_works,
        evidence=verdict.evidence,
        next_hint=hint,
    )


def grade_lab(lab: Lab, snapshot: AccountSnapshot, names: dict, hints_used: dict[str, int] | None = None,
              on_result: Callable[[ObjectiveResult], None] | None = None, backend: str = "moto") -> LabResult:
    started = time.perf_counter()
    results = []
    # Security objectives first: a "still works" objective earns its points only next to a real fix.
    ordered = sorted(lab.objectives, key=lambda o: o.still_works)
    hints_used = hints_used or {}
    for objective in ordered:
        result = grade_objective(lab, objective, snapshot, names, hints_used.get(objective.id, 0))
        if objective.still_works and result.passed and not any(r.passed for r in results if not r.still_works):
            result.status, result.awarded, result.pending = "FAIL", 0, True
            result.message = ("This still works, which is good, but nothing is secured yet: these points count "
                              "once at least one of the security objectives passes.")
            result.next_hint = None
        results.append(result)
        if on_result:
            on_result(result)
    by_id = {r.id: r for r in results}
    results = [by_id[o.id] for o in lab.objectives]
    return LabResult(lab.id, lab.title, results, backend=backend, duration_seconds=time.perf_counter() - started)
