"""What a learner did in a lab, kept for a workshop submission: one JSON file per lab.

Each check saves its verdict per objective together with the requests the sandbox recorded up to
that moment, so an instructor can replay exactly the account that was graded (ztlab/workshop/).
Counters (starts, checks, failed checks, hints) add up across restarts of the same lab: they are
what tells an instructor that someone is stuck.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ztlab.locations import locations


@dataclass
class LabEvidence:
    lab_id: str
    seed: int
    variant_seed: str | None = None
    variant: dict[str, Any] = field(default_factory=dict)
    names: dict[str, Any] = field(default_factory=dict)
    backend: str = "moto"
    recorded: bool = True  # False on back ends without a recorder: the results cannot be replayed
    started_at: float = field(default_factory=time.time)  # this attempt
    first_started_at: float = field(default_factory=time.time)
    starts: int = 1
    checks: int = 0
    failed_checks: int = 0
    hints: int = 0
    hints_used: dict[str, int] = field(default_factory=dict)  # this attempt, per objective
    reference_solution_used: bool = False
    last_check_at: float | None = None
    claimed: dict[str, Any] | None = None  # the last check's verdicts
    history: list[dict[str, Any]] = field(default_factory=list)  # every check of this attempt: when, score, passed
    recording: list[dict[str, Any]] = field(default_factory=list)  # requests up to the last check

    @staticmethod
    def path(lab_id: str) -> Path:
        return locations().evidence_dir / f"{lab_id}.json"

    def save(self) -> None:
        from ztlab.locations import private_dir, write_private

        path = self.path(self.lab_id)
        private_dir(path.parent)
        write_private(path, json.dumps(asdict(self), separators=(",", ":")))

    @classmethod
    def load(cls, lab_id: str) -> "LabEvidence | None":
        try:
            data = json.loads(cls.path(lab_id).read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError):
            return None  # a damaged file is left for inspection; the next start writes a new one

    @classmethod
    def load_all(cls) -> dict[str, "LabEvidence"]:
        folder = locations().evidence_dir
        found = {}
        for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            item = cls.load(file.stem)
            if item is not None:
                found[item.lab_id] = item
        return found


def begin(lab_id: str, *, seed: int, variant_seed: str | None, variant: dict[str, Any], names: dict[str, Any],
          backend: str, recorded: bool) -> LabEvidence:
    previous = LabEvidence.load(lab_id)
    evidence = LabEvidence(lab_id, seed, variant_seed, variant, names, backend, recorded)
    if previous is not None:
        evidence.first_started_at = previous.first_started_at
        evidence.starts = previous.starts + 1
        evidence.checks = previous.checks
        evidence.failed_checks = previous.failed_checks
        evidence.hints = previous.hints
        evidence.reference_solution_used = previous.reference_solution_used
    evidence.save()
    return evidence


def _current(lab_id: str) -> LabEvidence | None:
    return LabEvidence.load(lab_id)


def record_check(lab_id: str, result, recording: list[dict[str, Any]]) -> None:
    evidence = _current(lab_id)
    if evidence is None:
        return  # a lab started before evidence existed: nothing to add to
    evidence.checks += 1
    evidence.failed_checks += 0 if result.passed else 1
    evidence.last_check_at = time.time()
    evidence.claimed = {
        "score": result.score,
        "max_score": result.max_score,
        "passed": result.passed,
        "objectives": {o.id: o.status for o in result.objectives},
    }
    evidence.history.append({"at": evidence.last_check_at, "score": result.score, "passed": result.passed,
                             "objectives": evidence.claimed["objectives"]})
    evidence.recording = recording
    evidence.save()


def record_hint(lab_id: str, hints_used: dict[str, int]) -> None:
    evidence = _current(lab_id)
    if evidence is not None:
        evidence.hints += 1
        evidence.hints_used = dict(hints_used)
        evidence.save()


def record_reference_solution(lab_id: str) -> None:
    evidence = _current(lab_id)
    if evidence is not None:
        evidence.reference_solution_used = True
        evidence.save()
