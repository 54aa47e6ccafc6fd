"""Building blocks shared by every content model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

# Strict: YAML's `yes` must not quietly become the text "True", nor "3" a number.
# extra="forbid": a typo in a key is an error, not a silently ignored field.
STRICT = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ContentId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", max_length=80),
]


# Objects given the same fields share one set of their names (see ContentModel.model_post_init).
_SHARED_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class ContentModel(BaseModel):
    model_config = STRICT

    def model_post_init(self, context: Any, /) -> None:
        # pydantic keeps, per object, the set of fields it was given: 728 bytes for a card, 73 MB of
        # a 100k-card course, more than the cards' own text. Content objects are frozen, so the set
        # never changes (model_copy copies it before adding to it), and objects given the same
        # fields can share one; a pickled course keeps the sharing (pickle preserves identity).
        given = self.__pydantic_fields_set__
        shared = _SHARED_FIELD_SETS.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
