"""The lab in progress, as a shell works with it for one command: check, hint, solve.

A `LabSession` owns what one command of a running lab touches: the run state (which lab, its saved
names, hints used), the sandbox it runs in, the lab's evidence file and the learner's progress store.
The shell (CLI, app, the sandbox process that serves both) makes one and closes it:

    with LabSession.current(course, lab_id) as session:
        result = session.check()
        session.run.cards_due_now, session.run.progress_problem

The progress store is opened once, on the first record, and closed with the session: progress is a
side record, so a store that cannot be opened costs the record, never the verdict (the reason is
kept in `run.progress_problem` for the shell to show).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ztlab.content import Course
from ztlab.labs import evidence, progress
from ztlab.labs.errors import LabError
from ztlab.labs.results import LabResult, ObjectiveResult
from ztlab.labs.run_state import LabRun
from ztlab.labs.runtime import apply_solution, check_lab, get_lab
from ztlab.labs.variants import fill


class LabSession:
    def __init__(self, course: Course, run: LabRun, sandbox: Any) -> None:
        self.course, self.run, self.sandbox = course, run, sandbox
        self.lab = course.labs[run.lab_id]
        self._store: Any = None

    @classmethod
    def current(cls, course: Course, lab_id: str | None = None) -> "LabSession":
        """The lab in progress and its running sandbox; a LabError that says what to do when there is none."""
        from ztlab.sandbox import current_sandbox

        run = LabRun.load()
        if run is None:
            raise LabError(f"no lab is in progress. Start one with `ztlab lab start {lab_id or 'LAB'}`.")
        if lab_id and run.lab_id != lab_id:
            raise LabError(f"'{lab_id}' is not the lab in progress: '{run.lab_id}' is. `ztlab lab hint` and "
                           f"`ztlab lab check` work on '{run.lab_id}'; `ztlab lab start {lab_id}` switches labs "
                           f"(the account of '{run.lab_id}' is wiped).")
        get_lab(course, run.lab_id)
        sandbox = current_sandbox()
        if sandbox is None or sandbox.endpoint_url != run.endpoint_url:
            raise LabError(f"the sandbox for lab '{run.lab_id}' is no longer running (it stops itself when idle). "
                           f"`ztlab lab start {run.lab_id}` sets the lab up again.")
        return cls(course, run, sandbox)

    # ------------------------------------------------------------------ the commands
    def check(self, on_result: Callable[[ObjectiveResult], None] | None = None) -> LabResult:
        """Grade the account as it is now, and record the check (progress, evidence, run state)."""
        result, recording = self._grade(on_result, keep=True)
        self.run.cards_due_now, self.run.progress_problem = progress.record_check(
            self.progress_store, self.course, self.run.attempt_id, result)
        self.run.checks += 1
        self.run.best_score = max(self.run.best_score, result.score)
        self.run.save()
        evidence.record_check(self.run.lab_id, result, recording)
        return result

    def hint(self, objective_id: str | None = None):
        """The next rung of the hint ladder for what fails now (a `ztlab.labs.hints.HintStep`)."""
        from ztlab.labs.hints import HintStep

        lab, run = self.lab, self.run
        if objective_id and not any(o.id == objective_id for o in lab.objectives):
            raise LabError(f"lab '{lab.id}' has no objective '{objective_id}' (objectives: "
                           f"{', '.join(o.id for o in lab.objectives)})")
        # Grade first: the hint speaks about the account as it is now, not as it was at the last check.
        result, _ = self._grade()
        by_id = {r.id: r for r in result.objectives}
        failing = [r for r in result.objectives if not r.passed and not r.pending]
        asked_passes = None
        if objective_id and by_id[objective_id].passed:
            asked_passes, objective_id = objective_id, None
        if not objective_id:
            if not failing:
                return HintStep(run.lab_id, None, asked_passes=asked_passes)
            objective_id = failing[0].id
        objective = next(o for o in lab.objectives if o.id == objective_id)
        step = HintStep(run.lab_id, objective.id, fill(objective.title, run.names), failing=by_id[objective.id],
                        asked_passes=asked_passes, available=len(objective.hints))
        if not objective.hints:
            return step
        used = run.hints_used.get(objective.id, 0)
        index = min(used, len(objective.hints) - 1)
        run.hints_used[objective.id] = min(used + 1, len(objective.hints))
        run.save()
        evidence.record_hint(run.lab_id, run.hints_used)
        step.ladder = [fill(text, run.names) for text in objective.hints[: index + 1]]
        step.text, step.number = step.ladder[-1], index + 1
        progress.record_hint(self.progress_store, run.attempt_id, objective.id, step.text)
        return step

    def solve(self, *, trust_code: bool = False) -> None:
        """Apply the reference solution (instructors; the evidence says it was used)."""
        apply_solution(self.course, self.lab, self.sandbox, self.run.names, trust_code=trust_code)
        evidence.record_reference_solution(self.run.lab_id)

    # ------------------------------------------------------------------ what the session owns
    def progress_store(self) -> Any:
        """The learner's progress store, opened on first use (StoreError when it cannot be)."""
        if self._store is None:
            self._store = progress.open_store()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> "LabSession":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _grade(self, on_result: Callable[[ObjectiveResult], None] | None = None, keep: bool = False
               ) -> tuple[LabResult, list]:
        """Grade with the recorder paused; returns the result and the learner's requests so far.
        `keep`: a check leaves its snapshot for the access explorer; a hint's grading does not."""
        from ztlab.sandbox import recorder

        reseed = recorder.seed_for(self.run.lab_id, f"check-{self.run.checks + 1}-{time.time()}")
        with recorder.paused(self.sandbox, reseed=reseed):
            recording = recorder.download(self.sandbox)
            return (check_lab(self.lab, self.sandbox, self.run.names, self.run.hints_used, on_result=on_result, keep=keep),
                    recording)
