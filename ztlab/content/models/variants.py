"""Per-learner variants of a lab: names and CIDRs the runtime picks for each learner.

    variants:
      vars:
        exports_bucket: [nw-finance-exports, nw-fin-exports-2, nw-ledger-exports]
        app_cidr: [10.20.0.0/16, 10.30.0.0/16]

Each name becomes a `${exports_bucket}` reference in setup, solution and objectives. Without a
workshop variant seed the first choice is used, so a lab reads the same for everyone by default;
with one, each learner gets a stable pick (see ztlab/labs/variants.py), and the grader follows it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from ztlab.content.models.common import ContentModel

VarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=60)]
Choice = str | int


class LabVariants(ContentModel):
    vars: dict[VarName, list[Choice]] = Field(min_length=1, description="name -> choices, one picked per learner")

    @model_validator(mode="after")
    def _choices(self) -> "LabVariants":
        reserved = {"account", "region"} & set(self.vars)
        if reserved:
            raise ValueError(f"'{', '.join(sorted(reserved))}' is set by ztlab itself; pick another variant name")
        for name, choices in self.vars.items():
            if not choices:
                raise ValueError(f"variant '{name}' needs at least one choice")
            if len(set(map(str, choices))) != len(choices):
                raise ValueError(f"variant '{name}' lists the same choice twice")
        return self
