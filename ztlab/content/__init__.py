"""Course content: typed models, a loader with located errors, and the loaded Course.

Exports resolve on first use: finding a cached course (cache.py) needs neither YAML nor the
validators, so `from ztlab.content import load_course_or_raise` must not import them."""

from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ContentError": "problems",
    "Course": "course",
    "Problem": "problems",
    "load_course": "loader",
    "load_course_or_raise": "cache",
}

if TYPE_CHECKING:
    from ztlab.content.cache import load_course_or_raise
    from ztlab.content.course import Course
    from ztlab.content.loader import load_course
    from ztlab.content.problems import ContentError, Problem


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ztlab.content' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"ztlab.content.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


__all__ = ["ContentError", "Course", "Problem", "load_course", "load_course_or_raise"]
