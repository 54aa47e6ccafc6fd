"""Building blocks shared by every content model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Strict: YAML's `yes` must not quietly become the text "True", nor "3" a number.
# extra="forbid": a typo in a key is an error, not a silently ignored field.
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ContentId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", max_length=80),
]


class ContentModel(BaseModel):
    model_config = STRICT
