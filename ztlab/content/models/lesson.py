"""A lesson: one YAML file in `lessons/`."""

from __future__ import annotations

from pydantic import Field

from ztlab.content.models.common import ContentId, ContentModel, Text
from ztlab.principles import Principle


class Section(ContentModel):
    title: Text
    body: Text = Field(description="Markdown. Fence code blocks with their language (```json, ```hcl, ...).")


class Lesson(ContentModel):
    id: ContentId
    title: Text
    principles: list[Principle] = Field(min_length=1)
    order: int = Field(ge=0, description="Position in the course; lower comes first.")
    summary: Text
    sections: list[Section] = Field(min_length=1)
    takeaways: list[Text] = Field(min_length=1)
    cards: list[ContentId] = Field(
        default_factory=list,
        description="Related cards from other decks; the lesson's own deck is linked by the deck's `lesson`.",
    )
    labs: list[ContentId] = Field(default_factory=list)
