"""The lab lifecycle: start, check, hint, reset, solve, stop, and the autograder's one-shot grade.

Shells (CLI, app) call these; nothing here prints or knows Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ztlab.content import Course
from ztlab.content.models.lab import Lab
from ztlab.labs import evidence
from ztlab.labs.code import LabContext, lab_function
from ztlab.labs.errors import LabError
from ztlab.labs.grading import grade_lab
from ztlab.labs.results import LabResult, ObjectiveResult
from ztlab.labs.run_state import LabRun
from ztlab.labs.steps import run_steps
from ztlab.labs.variants import pick_variant


def get_lab(course: Course, lab_id: str) -> Lab:
    if lab_id not in course.labs:
        known = ", ".join(sorted(course.labs)) or "none"
        raise LabError(f"no lab '{lab_id}' (labs: {known}). `ztlab lab list` shows them.")
    return course.labs[lab_id]


def unsupported_services(lab: Lab, sandbox) -> set[str]:
    return set(lab.services) & set(getattr(sandbox, "missing_services", set()) or set())


def base_names(sandbox, workspace=None) -> dict[str, Any]:
    names = {"account": sandbox.account_id, "region": sandbox.region}
    if workspace is not None:
        names["workspace"] = str(workspace)
    return names


def setup_lab(course: Course, lab: Lab, sandbox, *, trust_code: bool = False, variant_seed: str | None = None,
              workspace=None) -> dict[str, Any]:
    """Build the lab's insecure starting account in a freshly reset sandbox; returns the saved names
    (with the learner's variant of the lab's `variants`, when the lab has some). `workspace` is the
    folder for documents the learner writes (`${workspace}` in steps and objectives)."""
    missing = unsupported_services(lab, sandbox)
    if missing:
        raise LabError(f"lab '{lab.id}' needs {', '.join(sorted(missing))}, which the {sandbox.backend} sandbox "
                       "does not emulate. Use the moto back end: `ztlab sandbox start --backend moto`.")
    clients = sandbox.clients()
    names = run_steps(lab.setup, clients, {**base_names(sandbox, workspace), **pick_variant(lab, variant_seed)},
                      where="setup")
    python_setup = lab_function(course, lab.id, "setup", "setup", trust_code=trust_code)
    if python_setup:
        context = LabContext(clients, names, sandbox.account_id, sandbox.region)
        names.update(python_setup(context) or {})
    return names


def apply_solution(course: Course, lab: Lab, sandbox, names: dict[str, Any], *, trust_code: bool = False) -> None:
    clients = sandbox.clients()
    names = run_steps(lab.solution, clients, names, where="solution")
    python_solution = lab_function(course, lab.id, "solution", "solve", trust_code=trust_code)
    if python_solution:
        python_solution(LabContext(clients, names, sandbox.account_id, sandbox.region))
    if not lab.solution and python_solution is None:
        raise LabError(f"lab '{lab.id}' has no reference solution")


def read_account(sandbox, lab: Lab | None = None):
    from ztlab.snapshot import read_snapshot
    from ztlab.snapshot.sections import unavailable_sections

    missing = unavailable_sections(sandbox.missing_services, f"the {sandbox.backend} sandbox does not emulate it")
    return read_snapshot(sandbox.clients(), region=sandbox.region, services=snapshot_sections(lab) if lab else None,
                         unavailable=missing)


def check_lab(lab: Lab, sandbox, names: dict[str, Any], hints_used: dict[str, int] | None = None,
              on_result: Callable[[ObjectiveResult], None] | None = None, keep: bool = False) -> LabResult:
    """Grade the account as it is now; `keep` leaves the snapshot graded for the access explorer."""
    snapshot = read_account(sandbox, lab)
    if keep:
        from ztlab.labs.access_view import keep_checked_snapshot

        keep_checked_snapshot(snapshot)
    return grade_lab(lab, snapshot, names, hints_used, on_result=on_result, backend=sandbox.backend)


# ----------------------------------------------------------------- the learner's lab in the shared sandbox
def start(course: Course, lab_id: str, *, trust_code: bool = False, backend: str | None = None,
          variant_seed: str | None = None) -> LabRun:
    from ztlab.labs.workspace import lab_workspace
    from ztlab.sandbox import ensure_running, recorder, reset_sandbox

    from ztlab.labs.access_view import forget_checked_snapshot

    lab = get_lab(course, lab_id)
    sandbox = ensure_running(backend=backend)
    sandbox = reset_sandbox(sandbox)
    forget_checked_snapshot()
    # Workshop evidence: a fixed seed makes setup's ids reproducible, and recording starts after
    # setup so it holds only the learner's own requests (ztlab/sandbox/recorder.py).
    seed = recorder.seed_for(lab.id, variant_seed or "")
    recorder.stop(sandbox)
    recorder.seed(sandbox, seed)
    names = setup_lab(course, lab, sandbox, trust_code=trust_code, variant_seed=variant_seed,
                      workspace=lab_workspace(lab.id))
    recorder.start(sandbox, fresh=True)
    from ztlab.labs import progress
    from ztlab.labs.session import LabSession

    run = LabRun(lab_id=lab.id, endpoint_url=sandbox.endpoint_url, backend=sandbox.backend, names=names)
    with LabSession(course, run, sandbox) as session:
        run.attempt_id, run.progress_problem = progress.record_start(session.progress_store, lab.id)
    run.save()
    evidence.begin(lab.id, seed=seed, variant_seed=variant_seed, variant=pick_variant(lab, variant_seed), names=names,
                   backend=sandbox.backend, recorded=recorder.supported(sandbox))
    return run


def reset(course: Course, lab_id: str | None = None, *, trust_code: bool = False, variant_seed: str | None = None) -> LabRun:
    run = LabRun.load()
    target = lab_id or (run.lab_id if run else None)
    if target is None:
        raise LabError("no lab is in progress. Start one with `ztlab lab start LAB`.")
    if variant_seed is None:
        previous = evidence.LabEvidence.load(target)
        variant_seed = previous.variant_seed if previous else None
    return start(course, target, trust_code=trust_code, variant_seed=variant_seed)


def stop() -> str | None:
    run = LabRun.load()
    LabRun.clear()
    return run.lab_id if run else None


def elapsed(run: LabRun) -> float:
    return time.time() - run.started_at


# Lab services -> snapshot sections. Objectives about S3, EC2, RDS, secrets or trails also look at
# KMS keys, and IAM questions at the organisation's SCPs, so those come along.
_COMPANIONS = {"s3": {"kms"}, "ec2": {"kms"}, "rds": {"kms", "ec2"}, "secretsmanager": {"kms"},
               "cloudtrail": {"kms", "s3", "cloudwatch", "sns"}, "iam": {"organizations"}, "cloudwatch": {"sns"}}


def snapshot_sections(lab: Lab) -> set[str] | None:
    """The snapshot sections a lab needs; None (everything) when the lab does not say."""
    if not lab.services:
        return None
    from ztlab.snapshot.sections import section_of

    sections = {section_of(s) for s in lab.services} - {None}
    for section in list(sections):
        sections |= _COMPANIONS.get(section, set())
    return sections | {"iam"}
