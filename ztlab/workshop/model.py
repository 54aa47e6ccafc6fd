"""The workshop file: an instructor's run of a class.

    title: Zero trust on AWS, afternoon class
    key: 3c0f...                  # or key_file: / key_env: (see `ztlab workshop init`)
    variant_seed: spring-2027     # optional: each learner gets their own names and CIDRs
    items:
      - {lesson: least-privilege, minutes: 20}
      - {lab: s3-least-privilege, minutes: 25}
    decks: [least-privilege]      # lessons whose flashcards to review
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from ztlab.content.models.common import ContentId, ContentModel, Text

EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class WorkshopItem(ContentModel):
    lesson: ContentId | None = None
    lab: ContentId | None = None
    minutes: int = Field(ge=1, le=600, description="The time box for this step.")

    @model_validator(mode="after")
    def _one_kind(self) -> "WorkshopItem":
        if (self.lesson is None) == (self.lab is None):
            raise ValueError("each item names exactly one `lesson` or `lab`")
        return self

    @property
    def kind(self) -> str:
        return "lab" if self.lab else "lesson"

    @property
    def id(self) -> str:
        return self.lab or self.lesson or ""


class Workshop(ContentModel):
    title: Text
    key: Text | None = Field(None, description="The HMAC key itself (at least 16 characters).")
    key_file: Text | None = Field(None, description="A file holding the key (relative to the workshop file).")
    key_env: EnvName | None = Field(None, description="An environment variable holding the key.")
    variant_seed: Text | None = None
    items: list[WorkshopItem] = Field(min_length=1)
    decks: list[ContentId] = Field(default_factory=list, description="Lesson ids whose cards to review.")

    @field_validator("key")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 16:
            raise ValueError("too short to sign with: use at least 16 random characters (`ztlab workshop init` writes one)")
        return value

    @model_validator(mode="after")
    def _checks(self) -> "Workshop":
        given = [k for k in ("key", "key_file", "key_env") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of `key`, `key_file` or `key_env` (found {', '.join(given) or 'none'})")
        seen: set[tuple[str, str]] = set()
        for item in self.items:
            if (item.kind, item.id) in seen:
                raise ValueError(f"{item.kind} '{item.id}' is listed twice in `items`")
            seen.add((item.kind, item.id))
        return self

    @property
    def labs(self) -> list[WorkshopItem]:
        return [i for i in self.items if i.lab]

    @property
    def lab_ids(self) -> list[str]:
        return [i.id for i in self.labs]

    @property
    def total_minutes(self) -> int:
        return sum(i.minutes for i in self.items)
