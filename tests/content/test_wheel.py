"""A wheel built from the repository carries the course: installed into a fresh virtualenv, its
`ztlab content check` finds the lessons from an unrelated folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_wheel_installs_and_checks_content_from_anywhere(tmp_path: Path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(dist.glob("ztlab-*.whl"))

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    # Only what `content check` needs (botocore: which operations a lab step may call), so the test stays quick; the wheel itself is installed as built.
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", str(wheel),
         "pyyaml", "pydantic", "pydantic-core", "annotated-types", "typing-extensions", "typing-inspection",
         "click", "platformdirs", "botocore", "jmespath", "python-dateutil", "six", "urllib3"],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(env_dir / "bin" / "ztlab"), "content", "check"], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120, env=clean_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "_course" in result.stdout, "the course must come from inside the installed package"
    in_repo = subprocess.run([sys.executable, "-m", "ztlab", "content", "check"], capture_output=True, text=True)
    counts = [line for line in in_repo.stdout.splitlines() if "lessons," in line]
    assert counts and counts[0] in result.stdout, "the wheel ships the same course as the repository"
