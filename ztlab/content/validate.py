"""Validate a located YAML document against a content model; turn pydantic errors into Problems."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ztlab.content.located_yaml import LocatedDocument
from ztlab.content.problems import Problem

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "list_type": "a list",
    "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
    "bool_type": "true or false",
    "int_from_float": "a whole number",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_names(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed at a location, for 'did you mean' and 'expected one of'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            inner = getattr(candidate, "__args__", (candidate,))
            found = next((c for c in (candidate, *inner) if isinstance(c, type) and issubclass(c, BaseModel)), None)
            if found:
                current = found
                break
        else:
            return []
    return list(getattr(current, "model_fields", {}))


def validate_document(doc: LocatedDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        line, col = doc.position(())
        return None, [Problem(doc.file, line, col, f"the file holds {_describe(doc.data)}", "a mapping of keys at the top level")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [_problem(doc, model, err) for err in exc.errors(include_url=False)]


def _problem(doc: LocatedDocument, model: type[BaseModel], err: dict) -> Problem:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "json-or-python"))))
    kind = err["type"]
    where = ".".join(str(p) for p in loc) or "(top level)"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        line, col = doc.position(loc, of_key=True)
        return Problem(doc.file, line, col, f"unknown key '{key}'{hint}", "one of: " + ", ".join(allowed))
    if kind == "missing":
        line, col = doc.position(loc[:-1])
        parent = ".".join(str(p) for p in loc[:-1]) or "the top level"
        return Problem(doc.file, line, col, f"missing required key '{loc[-1]}' in {parent}", f"a '{loc[-1]}' key")
    line, col = doc.position(loc)
    value = err.get("input")
    if kind == "string_too_short":
        return Problem(doc.file, line, col, f"'{where}' is empty", "some text")
    if kind == "too_short":
        return Problem(doc.file, line, col, f"'{where}' is an empty list", f"at least {err['ctx']['min_length']} item(s)")
    if kind == "literal_error":
        return Problem(doc.file, line, col, f"'{where}' is {_describe(value)}", err["ctx"]["expected"])
    if kind == "string_pattern_mismatch":
        return Problem(doc.file, line, col, f"'{where}' is {_describe(value)}", "an id of lowercase letters, digits and dashes, like 'iam-roles-101'")
    if kind in _TYPE_NAMES:
        return Problem(doc.file, line, col, f"'{where}' is {_describe(value)}", _TYPE_NAMES[kind])
    if kind == "value_error":
        return Problem(doc.file, line, col, f"'{where}': {err['msg'].removeprefix('Value error, ')}")
    return Problem(doc.file, line, col, f"'{where}': {err['msg']}")
