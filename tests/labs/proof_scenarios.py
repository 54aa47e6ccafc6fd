"""Proof scenarios of every lab, as `instruqt track test` does: setup fails every objective, the
reference solution passes every one, each wrong fix fails the objectives it must, each valid
alternative passes. Scenarios live in tests/labs/proofs/<lab-id>.yaml."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from ztlab.content.models.lab import ApiCall
from ztlab.labs.references import resolve
from ztlab.labs.steps import run_steps

PROOFS = Path(__file__).parent / "proofs"


class FileContent(BaseModel):
    """A document the learner writes in the lab workspace: `json` (dumped as JSON) or raw `text`."""

    model_config = ConfigDict(extra="forbid")
    path: str
    json_: Any = None
    text: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _json_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "json" in data:
            data = {**data, "json_": data["json"]}
            data.pop("json")
        return data


class WriteFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    write_file: FileContent


Step = ApiCall | WriteFile


def run_proof_steps(steps: list[Step], clients, names: dict, workspace: Path, where: str) -> dict:
    """API calls run against the sandbox; `write_file` steps write into the lab workspace."""
    for step in steps:
        if isinstance(step, WriteFile):
            target = workspace / step.write_file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            content = step.write_file.text if step.write_file.text is not None else json.dumps(
                resolve(step.write_file.json_, names), indent=2)
            target.write_text(content, encoding="utf-8")
        else:
            names = run_steps([step], clients, names, where=where)
    return names


class WrongFix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    # `reference`: the steps run after the reference solution (one wrong step on top of a right fix)
    after: Literal["setup", "reference"] = "setup"
    steps: list[Step]
    fails: list[str]
    passes: list[str] = []


class Alternative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    after: Literal["setup", "reference"] = "setup"
    steps: list[Step]


class Proofs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    wrong_fixes: list[WrongFix] = []
    alternatives: list[Alternative] = []


@dataclass
class Scenario:
    lab_id: str
    kind: str  # setup, reference, wrong, alternative
    name: str
    steps: list[Step] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)
    passes: list[str] = field(default_factory=list)
    after: str = "setup"

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
        out += [Scenario(lab_id, "wrong", w.name, w.steps, w.fails, w.passes, w.after) for w in proofs.wrong_fixes]
        out += [Scenario(lab_id, "alternative", a.name, a.steps, after=a.after) for a in proofs.alternatives]
    return out
