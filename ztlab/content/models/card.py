"""Flashcards: one YAML file in `flashcards/` per deck, each deck tied to a lesson."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ztlab.content.models.common import ContentId, ContentModel, Text
from ztlab.principles import Principle

SnippetLanguage = Literal["json", "yaml", "hcl", "python", "bash", "sql", "text"]


class Snippet(ContentModel):
    language: SnippetLanguage
    code: Text


class Card(ContentModel):
    id: ContentId
    kind: Literal["basic", "spot-the-flaw"] = "basic"
    principle: Principle
    tags: list[ContentId] = Field(default_factory=list)
    front: Text
    snippet: Snippet | None = Field(
        default=None, description="Policy, security-group or config shown with the front; required for spot-the-flaw."
    )
    back: Text
    explanation: Text | None = None

    @model_validator(mode="after")
    def _spot_the_flaw_has_snippet(self) -> "Card":
        if self.kind == "spot-the-flaw" and self.snippet is None:
            raise ValueError("a spot-the-flaw card needs a `snippet` (language and code) showing the flaw")
        return self


class Deck(ContentModel):
    lesson: ContentId = Field(description="The lesson these cards belong to.")
    cards: list[Card] = Field(min_length=1)
