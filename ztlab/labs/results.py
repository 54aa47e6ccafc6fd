"""What grading a lab produces: one result per objective, and the lab's score."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["PASS", "FAIL", "UNKNOWN"]


@dataclass(frozen=True)
class Verdict:
    """What one objective's grader decides, before points, hints and the principle are added."""

    status: Status
    message: str  # what is right or wrong, in words a learner understands
    where: list[str] = field(default_factory=list)  # ARNs, statement Sids, rules
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ObjectiveResult:
    id: str
    title: str
    status: Status
    points: int
    awarded: int
    message: str  # what is right or wrong, in words a learner understands
    where: list[str] = field(default_factory=list)  # ARNs, statement Sids, rules
    why: str = ""  # the principle at stake
    principle: str = ""
    still_works: bool = False
    # A still-works objective that works, with its points held back until a security objective
    # passes: not a failure to fix, so it is never shown as FAIL to a person.
    pending: bool = False
    evidence: list[dict[str, Any]] = field(default_factory=list)
    next_hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "PASS"


@dataclass
class LabResult:
    lab_id: str
    title: str
    objectives: list[ObjectiveResult]
    backend: str = "moto"
    duration_seconds: float = 0.0

    @property
    def score(self) -> int:
        return sum(o.awarded for o in self.objectives)

    @property
    def max_score(self) -> int:
        return sum(o.points for o in self.objectives)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.objectives)

    def to_json(self) -> dict[str, Any]:
        return {
            "lab": self.lab_id,
            "title": self.title,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "backend": self.backend,
            "duration_seconds": round(self.duration_seconds, 3),
            "objectives": [asdict(o) for o in self.objectives],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LabResult":
        """The result `to_json` wrote (the sandbox process grades, the shell reports)."""
        objectives = [ObjectiveResult(**o) for o in data["objectives"]]
        return cls(data["lab"], data["title"], objectives, backend=data["backend"],
                   duration_seconds=data["duration_seconds"])
