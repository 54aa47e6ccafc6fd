"""Proof scenarios of every lab, as `instruqt track test` does: setup fails every objective, the
reference solution passes every one, each wrong fix fails the objectives it must, each valid
alternative passes. Scenarios live in tests/labs/proofs/<lab-id>.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from ztlab.content.models.lab import ApiCall

PROOFS = Path(__file__).parent / "proofs"


class WrongFix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    steps: list[ApiCall]
    fails: list[str]
    passes: list[str] = []


class Alternative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    steps: list[ApiCall]


class Proofs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    wrong_fixes: list[WrongFix] = []
    alternatives: list[Alternative] = []


@dataclass
class Scenario:
    lab_id: str
    kind: str  # setup, reference, wrong, alternative
    name: str
    steps: list[ApiCall] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)
    passes: list[str] = field(default_factory=list)

    @property
    def test_id(self) -> str:
        return f"{self.lab_id}:{self.kind}:{self.name}"


def load_proofs(lab_id: str) -> Proofs:
    path = PROOFS / f"{lab_id}.yaml"
    if not path.exists():
        return Proofs()
    return Proofs.model_validate(yaml.safe_load(path.read_text()))


def scenarios(lab_ids: list[str]) -> list[Scenario]:
    out: list[Scenario] = []
    for lab_id in lab_ids:
        proofs = load_proofs(lab_id)
        out.append(Scenario(lab_id, "setup", "starting-state"))
        out.append(Scenario(lab_id, "reference", "reference-solution"))
        out += [Scenario(lab_id, "wrong", w.name, w.steps, w.fails, w.passes) for w in proofs.wrong_fixes]
        out += [Scenario(lab_id, "alternative", a.name, a.steps) for a in proofs.alternatives]
    return out
