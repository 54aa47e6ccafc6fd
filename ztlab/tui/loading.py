"""Read settings and the course. Runs in a worker thread after the first paint, because importing
pydantic and parsing YAML would otherwise delay it."""

from __future__ import annotations

from pathlib import Path

from ztlab.tui.messages import LoadOutcome


def load_everything(content_dirs: list[Path], include_builtin: bool = True) -> LoadOutcome:
    from ztlab import locations as loc
    from ztlab.content.cache import load_course_cached
    from ztlab.settings import Settings, SettingsError, load_settings

    try:
        settings, settings_problem = load_settings(), None
    except SettingsError as exc:
        settings, settings_problem = Settings(), str(exc)
    course, problems = load_course_cached(loc.extra_content_roots(content_dirs), include_builtin=include_builtin)
    return LoadOutcome(settings, settings_problem, None if problems else course, problems)


def peek_theme(config_file: Path) -> str | None:
    """The theme named in the settings file, read cheaply so the first paint already uses it.

    Full validation happens in `load_everything`; anything odd here is simply ignored.
    """
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("theme:"):
            value = line.partition(":")[2].split("#")[0].strip().strip("'\"")
            return value or None
    return None
