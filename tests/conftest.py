"""Test-wide fixtures. Every test gets its own ZTLAB_HOME so no developer progress leaks in or out."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def ztlab_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("ztlab-home")
    monkeypatch.setenv("ZTLAB_HOME", str(home))
    monkeypatch.delenv("ZTLAB_CONTENT", raising=False)
    return home
