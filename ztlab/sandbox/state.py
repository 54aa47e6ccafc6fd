"""The sandbox state file: which sandbox ztlab is using, written atomically, read defensively.

One JSON file at `locations().sandbox_state_file` says what runs (back end, pid, port, endpoint,
start time, versions). It outlives the CLI call that started the sandbox, so every other command
and the app can find the same account. A file that cannot be parsed is treated as stale: it holds
nothing that cannot be rebuilt by starting again.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# A dataclass, not pydantic: the background server reads and writes this file, and its start-up
# time is a user-visible figure (importing pydantic alone costs about 0.1 s).
Backend = Literal["moto", "localstack"]
BACKENDS = ("moto", "localstack")
STATE_FORMAT = 1


@dataclass(frozen=True)
class SandboxState:
    backend: Backend
    endpoint_url: str
    region: str
    account_id: str
    started_at: float
    ztlab_version: str
    # pid/process_started are None for a LocalStack that ztlab connected to but did not start.
    pid: int | None = None
    process_started: str | None = None
    port: int | None = None
    backend_version: str | None = None
    # A random secret the moto server echoes on /_ztlab/health: proves the port is still ours.
    token: str | None = None
    idle_minutes: float | None = None
    log_file: str | None = None
    format: int = STATE_FORMAT

    @property
    def launched_by_ztlab(self) -> bool:
        return self.pid is not None

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2)

    @classmethod
    def from_dict(cls, data: object) -> "SandboxState":
        """Strict enough to reject a file that was edited or truncated into nonsense."""
        if not isinstance(data, dict):
            raise ValueError("not an object")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in fields}
        if values.get("backend") not in BACKENDS:
            raise ValueError("unknown backend")
        for name in ("endpoint_url", "region", "account_id", "ztlab_version"):
            if not isinstance(values.get(name), str):
                raise ValueError(f"{name} missing")
        if not isinstance(values.get("started_at"), (int, float)):
            raise ValueError("started_at missing")
        for name in ("pid", "port"):
            if values.get(name) is not None and (not isinstance(values[name], int) or isinstance(values[name], bool)):
                raise ValueError(f"{name} is not an integer")
        for name in ("process_started", "backend_version", "token", "log_file"):
            if values.get(name) is not None and not isinstance(values[name], str):
                raise ValueError(f"{name} is not a string")
        return cls(**values)


def read_state(path: Path) -> SandboxState | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        return SandboxState.from_dict(json.loads(text))
    except (ValueError, TypeError):
        return None


def write_state(path: Path, state: SandboxState) -> None:
    """Atomic and private (0600: it holds the server's token): a reader sees the old file or the new one."""
    from ztlab.locations import private_dir, write_private

    private_dir(path.parent)
    write_private(path, state.to_json())


def remove_state(path: Path, only_token: str | None = None, only_pid: int | None = None) -> bool:
    """Delete the state file; with `only_token`/`only_pid`, only if it still describes that server
    (a newer sandbox may have replaced it meanwhile)."""
    if only_token is not None or only_pid is not None:
        current = read_state(path)
        if current is None:
            # Unreadable: nothing to protect.
            path.unlink(missing_ok=True)
            return True
        if only_token is not None and current.token != only_token:
            return False
        if only_pid is not None and current.pid != only_pid:
            return False
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
