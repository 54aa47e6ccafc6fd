"""Regrade results kept on the instructor's machine, so the class report can show proven figures.

Keyed by the SHA-256 of the bundle file's bytes: a bundle changed after its regrade (a learner
re-submits, or edits the file) has no saved result and is shown as claimed again. The results live
in the instructor's own data folder, never beside the bundles, where learners could write them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ztlab.locations import locations


def _folder() -> Path:
    return locations().data_dir / "regrades"


def bundle_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def save(path: Path, verdict) -> None:
    digest = bundle_digest(path)
    if digest is None:
        return
    folder = _folder()
    from ztlab.locations import private_dir, write_private

    private_dir(folder)
    write_private(folder / f"{digest}.json", json.dumps(verdict.to_json()))


def load(path: Path) -> dict[str, Any] | None:
    """The saved regrade of exactly this file, or None."""
    digest = bundle_digest(path)
    if digest is None:
        return None
    try:
        data = json.loads((_folder() / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
