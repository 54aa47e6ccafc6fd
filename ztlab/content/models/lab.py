"""A hands-on lab: `labs/<lab-id>/lab.yaml`. The lab runtime extends the objective model."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ztlab.content.models.common import ContentId, ContentModel, Text
from ztlab.principles import Principle


class Objective(ContentModel):
    id: ContentId
    title: Text
    points: int = Field(default=1, ge=0)
    hints: list[Text] = Field(default_factory=list, description="A ladder: the first nudges, the last nearly solves.")


class Lab(ContentModel):
    id: ContentId
    title: Text
    principles: list[Principle] = Field(min_length=1)
    difficulty: Literal["intro", "intermediate", "advanced"]
    minutes: int = Field(ge=1)
    briefing: Text = Field(description="Markdown: the story, the task, and what the grader looks at.")
    lessons: list[ContentId] = Field(default_factory=list)
    cards: list[ContentId] = Field(default_factory=list)
    objectives: list[Objective] = Field(min_length=1)
