"""Who the learner is, for submissions and per-learner variants.

The name comes from `--name`, else `ZTLAB_LEARNER`, else the name saved by `ztlab workshop join`,
else the login name. Variants are picked from the workshop's seed and this name, so a learner who
submits under another name than they started with gets flagged by the regrade.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from ztlab.locations import locations
from ztlab.workshop.model import Workshop


def learner_name(explicit: str | None = None) -> str:
    if explicit and explicit.strip():
        return explicit.strip()
    if os.environ.get("ZTLAB_LEARNER", "").strip():
        return os.environ["ZTLAB_LEARNER"].strip()
    try:
        saved = json.loads(locations().learner_file.read_text(encoding="utf-8")).get("name", "")
        if isinstance(saved, str) and saved.strip():
            return saved.strip()
    except (OSError, ValueError, AttributeError):
        pass
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still a usable default
        return "learner"


def save_learner_name(name: str) -> None:
    path = locations().learner_file
    from ztlab.locations import private_dir, write_private

    private_dir(path.parent)
    write_private(path, json.dumps({"name": name.strip()}))


def variant_seed(workshop: Workshop, name: str) -> str | None:
    """The text each lab's variant is picked from; None when the workshop has no variant seed."""
    if not workshop.variant_seed:
        return None
    return f"{workshop.variant_seed}/{' '.join(name.split()).casefold()}"


def current_variant_seed(course) -> str | None:
    """This learner's variant seed under the workshop in ZTLAB_WORKSHOP (set by `--workshop` too), or
    None. The CLI and the app both start labs with it, so a learner gets the same names in either.
    A workshop file with problems gives None here; `ztlab workshop show` is where they are reported."""
    from ztlab.workshop.file import ENV_VAR, WorkshopError, load_workshop

    path = os.environ.get(ENV_VAR)
    if not path:
        return None
    try:
        loaded = load_workshop(Path(path), course)
    except WorkshopError:
        return None
    return variant_seed(loaded.workshop, learner_name())
