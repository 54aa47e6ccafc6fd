"""The hint ladder, driven by what fails now.

Every hint grades the account first, so it speaks about the learner's current state: which
objective fails, with the grader's own words on what is wrong and where (the statement, the
request). A hint asked for an objective that passes by now says so and moves to the first one
still failing, and a lab whose objectives all pass gets a plain "nothing left to hint at"
instead of an error. The rungs already revealed stay listed, so a shell can show the ladder.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class HintStep:
    lab_id: str
    objective_id: str | None  # None when every objective passes
    objective_title: str = ""
    text: str = ""  # the rung revealed now ("" when the objective has no written hints)
    number: int = 0
    available: int = 0
    ladder: list[str] = field(default_factory=list)  # every rung revealed so far, this one last
    failing: Any = None  # the objective's ObjectiveResult as graded just now
    asked_passes: str | None = None  # the objective asked about, which passes now

    def to_json(self) -> dict[str, Any]:
        """For the warm sandbox process, which grades and answers the shells."""
        data = asdict(self)
        data["failing"] = asdict(self.failing) if self.failing is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "HintStep":
        from ztlab.labs.results import ObjectiveResult

        failing = ObjectiveResult(**data["failing"]) if data.get("failing") else None
        return cls(**{**data, "failing": failing})

    @property
    def all_pass(self) -> bool:
        return self.objective_id is None

    def evidence_lines(self) -> list[str]:
        """What fails now, in the grader's words: what, where, and the requests it tried."""
        result = self.failing
        if result is None:
            return []
        first, *_ = result.message.splitlines() or [""]
        lines = [f"Failing now: {first}"]
        if result.where:
            lines.append("Where: " + ", ".join(result.where))
        for item in result.evidence[:3]:
            lines.append("Seen: " + json.dumps(item, default=str, sort_keys=True)[:200])
        return lines

    def describe(self) -> str:
        """The plain-text answer the CLI prints and the app's Hints panel shows."""
        if self.all_pass:
            return f"Every objective of '{self.lab_id}' passes now: nothing left to hint at."
        lines = []
        if self.asked_passes:
            lines.append(f"'{self.asked_passes}' passes now; the first objective still failing is '{self.objective_id}'.")
        if self.text:
            lines.append(f"Hint {self.number}/{self.available} for '{self.objective_id}': {self.text}")
        else:
            lines.append(f"'{self.objective_id}' has no written hints; the grader's evidence is below.")
        return "\n".join(lines + self.evidence_lines())
