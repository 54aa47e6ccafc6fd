"""Turn what the learner typed in the Settings screen into a validated Settings, or a clear reason.

No Textual here: the screen shows the reason inline and saves only what passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlparse

from pydantic import ValidationError

from ztlab.settings import Settings


class InvalidSetting(ValueError):
    """What is wrong with the value and what would be accepted."""


def _number(kind: type, what: str) -> Callable[[str], object]:
    def parse(raw: str) -> object:
        text = raw.strip()
        if not text:
            raise InvalidSetting(f"enter {what}")
        try:
            return kind(text)
        except ValueError:
            raise InvalidSetting(f"'{text}' is not {what}") from None

    return parse


def _endpoint(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    url = urlparse(text)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise InvalidSetting(f"'{text}' is not a URL like http://127.0.0.1:4566")
    return text


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    hint: str
    parse: Callable[[str], object]


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("desired_retention", "Desired retention", "0.70 to 0.99: higher means more reviews, fewer lapses",
              _number(float, "a number such as 0.9")),
        Field("new_cards_per_day", "New cards per day", "0 to 9999", _number(int, "a whole number")),
        Field("reviews_per_day", "Reviews per day", "0 to 99999", _number(int, "a whole number")),
        Field("localstack_endpoint", "LocalStack endpoint", "blank: LocalStack's default; or http://host:port",
              _endpoint),
    )
}


def updated(settings: Settings, name: str, raw: object) -> Settings:
    """A copy of `settings` with one field changed, validated; InvalidSetting says why not."""
    value = FIELDS[name].parse(raw) if name in FIELDS and isinstance(raw, str) else raw
    try:
        return Settings.model_validate({**settings.model_dump(), name: value})
    except ValidationError as exc:
        messages = "; ".join(_readable(err) for err in exc.errors())
        raise InvalidSetting(messages) from None


def _readable(err: dict) -> str:
    ctx = err.get("ctx") or {}
    if err["type"] == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if err["type"] == "less_than_equal":
        return f"must be at most {ctx['le']}"
    return err["msg"]
