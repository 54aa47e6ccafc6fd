"""The lab in progress, shared by the app and every CLI call: one small JSON file, written atomically."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ztlab.locations import locations


@dataclass
class LabRun:
    lab_id: str
    endpoint_url: str
    backend: str
    names: dict[str, Any] = field(default_factory=dict)
    started_at: float = field(default_factory=time.time)
    hints_used: dict[str, int] = field(default_factory=dict)
    checks: int = 0
    best_score: int = 0
    attempt_id: str | None = None
    cards_due_now: int = 0
    progress_problem: str | None = None

    def save(self, path: Path | None = None) -> None:
        from ztlab.locations import write_private

        path = path or locations().lab_run_file
        write_private(path, json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path | None = None) -> "LabRun | None":
        path = path or locations().lab_run_file
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError):
            # A damaged run file only loses the 'which lab is running' note; the account is intact.
            path.unlink(missing_ok=True)
            return None

    @staticmethod
    def clear(path: Path | None = None) -> None:
        (path or locations().lab_run_file).unlink(missing_ok=True)
