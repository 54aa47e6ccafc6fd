"""User settings: one YAML file at `locations().config_file`, validated, saved atomically.

The app's Settings screen and the CLI read and write the same file, so a change in one is seen by
the other on its next read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ztlab.locations import locations


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    desired_retention: float = Field(0.9, ge=0.7, le=0.99, description="Target recall probability for FSRS.")
    new_cards_per_day: int = Field(20, ge=0, le=9999)
    reviews_per_day: int = Field(200, ge=0, le=99999)
    learning_steps_minutes: list[float] = Field(default_factory=lambda: [1.0, 10.0])
    relearning_steps_minutes: list[float] = Field(default_factory=lambda: [10.0])
    day_rollover_hour: int = Field(0, ge=0, le=23, description="Local hour a new review day starts (0 = midnight).")
    backend: Literal["moto", "localstack"] = "moto"
    localstack_endpoint: str | None = Field(None, description="e.g. http://127.0.0.1:4566; default: LocalStack's own rules.")
    sandbox_idle_minutes: int = Field(120, ge=1, description="A sandbox with no requests for this long stops itself.")
    theme: str = "textual-dark"
    keymap: dict[str, str] = Field(default_factory=dict, description="Binding id -> keys, e.g. {'review.reveal': 'space,enter'}.")


class SettingsError(Exception):
    """The settings file exists but cannot be used; the message says where and how to fix it."""


def load_settings(path: Path | None = None) -> Settings:
    path = path or locations().config_file
    if not path.exists():
        return Settings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot read settings ({exc}). Fix the file or delete it to get the defaults.") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of settings at the top level. Fix the file or delete it.")
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"{path}: {problems}. Fix the file or delete it to get the defaults.") from exc


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    path = path or locations().config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# ztlab settings (edit here or in the app's Settings screen)\n" + yaml.safe_dump(
        settings.model_dump(), sort_keys=False
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path
