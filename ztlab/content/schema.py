"""JSON Schemas of the content files, generated from the models so they never drift."""

from __future__ import annotations

from typing import Any

from ztlab.content.models import Deck, Lab, Lesson

_MODELS = {"lessons": Lesson, "flashcards": Deck, "labs": Lab}


def json_schema(kind: str) -> dict[str, Any]:
    schema = _MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", f"ztlab {kind} file")
    return schema
