"""What the lab screen's worker runs: thin calls into `ztlab.labs` (runtime, LabSession) and the sandbox, with
every expected failure turned into one readable sentence. Imported only inside workers (it pulls
in boto3 and the grader)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ztlab.labs.errors import expected_errors  # noqa: F401 - what the lab screen's worker catches


class Cancelled(Exception):
    """The learner pressed Escape; the grader stops at the next objective."""


@dataclass(frozen=True)
class SandboxView:
    running: bool
    backend: str | None
    endpoint_url: str | None
    region: str | None
    run: Any  # LabRun or None
    exports: str  # the full block for another terminal ("" when not running)




def sandbox_view() -> SandboxView:
    from ztlab.labs.run_state import LabRun
    from ztlab.sandbox import current_sandbox, learner_environment
    from ztlab.sandbox.shell_env import detect_shell, format_exports

    info = current_sandbox()
    run = LabRun.load()
    if info is None:
        return SandboxView(False, None, None, None, run, "")
    exports = format_exports(learner_environment(info.endpoint_url, info.region), detect_shell())
    return SandboxView(True, info.backend, info.endpoint_url, info.region, run, exports)


def start(course: Any, lab_id: str, backend: str | None) -> None:
    from ztlab.labs import runtime
    from ztlab.workshop.learner import current_variant_seed

    runtime.start(course, lab_id, backend=backend, variant_seed=current_variant_seed(course))


def reset(course: Any, lab_id: str) -> None:
    from ztlab.labs import runtime

    runtime.reset(course, lab_id)


def solve(course: Any, lab_id: str) -> None:
    from ztlab.labs.session import LabSession

    with LabSession.current(course, lab_id) as session:
        session.solve()


def check(course: Any, lab_id: str, on_result: Callable[[Any], None], cancelled: Callable[[], bool]) -> Any:
    """Graded by the warm sandbox process when it serves labs (as `ztlab lab check` is), else here."""
    from ztlab.labs import remote
    from ztlab.labs.results import LabResult
    from ztlab.labs.session import LabSession

    def report(result: Any) -> None:
        if cancelled():
            raise Cancelled
        on_result(result)

    served = remote.call("check", {"lab_id": lab_id}, course=course)
    if served is None:
        with LabSession.current(course, lab_id) as session:
            return session.check(on_result=report)
    result = LabResult.from_json(served["result"])
    for objective in sorted(result.objectives, key=lambda o: o.still_works):  # the order they were graded in
        report(objective)
    return result


def access(course: Any, lab_id: str) -> tuple[list[Any], str] | None:
    """(ResourceAccess rows, account id) over the account the latest check of this lab read;
    None when this lab has not been checked since it was set up."""
    from ztlab.labs import access_view
    from ztlab.labs.run_state import LabRun

    run = LabRun.load()
    if run is None or run.lab_id != lab_id:
        return None
    snapshot = access_view.load_checked_snapshot()
    if snapshot is None:
        return None
    return access_view.explore(course.labs[lab_id], snapshot, run.names), snapshot.account_id


def hint(course: Any, lab_id: str, objective_id: str | None) -> Any:
    """A `ztlab.labs.hints.HintStep`: the next rung for what fails now, with the evidence."""
    from ztlab.labs import remote
    from ztlab.labs.hints import HintStep
    from ztlab.labs.session import LabSession

    served = remote.call("hint", {"lab_id": lab_id, "objective": objective_id}, course=course)
    if served is None:
        with LabSession.current(course, lab_id) as session:
            return session.hint(objective_id)
    return HintStep.from_json(served["step"])
