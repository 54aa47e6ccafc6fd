"""`ztlab content check` and `ztlab content schema` as an author runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.content.test_malformed import DECK, LESSON, write_pack

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


def ztlab(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_check_builtin_course_reports_counts():
    result = ztlab("content", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content is valid" in result.stdout
    assert "lessons," in result.stdout and "flashcards," in result.stdout
    for slug in ("verify-explicitly", "least-privilege", "micro-segmentation", "encrypt-everything",
                 "continuous-monitoring", "assume-breach"):
        assert slug in result.stdout


def test_check_author_pack_with_problems_exits_1_without_traceback(tmp_path):
    root = write_pack(tmp_path / "pack", lesson=LESSON.replace("order: 1", "order: one"),
                      deck=DECK.replace("front: What is asked?", "frnt: What is asked?"))
    result = ztlab("content", "check", str(root), "--only")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "sample.yaml:4:8: 'order' is the text 'one' (expected a whole number)" in result.stdout
    assert "unknown key 'frnt'; did you mean 'front'?" in result.stdout
    assert "problem(s) in 2 file(s)" in result.stdout


def test_check_valid_author_pack_on_top_of_course(tmp_path):
    root = write_pack(tmp_path / "pack")
    result = ztlab("content", "check", str(root))
    assert result.returncode == 0, result.stdout
    assert str(root) in result.stdout


def test_missing_folder_is_a_content_problem(tmp_path):
    result = ztlab("content", "check", str(tmp_path / "nope"), "--only")
    assert result.returncode == 1
    assert "content folder does not exist" in result.stdout


def test_content_env_var_adds_a_pack(tmp_path, monkeypatch):
    root = write_pack(tmp_path / "pack")
    monkeypatch.setenv("ZTLAB_CONTENT", str(root))
    result = ztlab("content", "check")
    assert result.returncode == 0
    assert str(root) in result.stdout


def test_usage_error_exits_2():
    assert ztlab("content", "schema", "widgets").returncode == 2
    assert ztlab("content", "frobnicate").returncode == 2


def test_schema_for_each_kind_is_json_schema():
    for kind, required in (("lessons", "sections"), ("flashcards", "cards"), ("labs", "objectives")):
        result = ztlab("content", "schema", kind)
        assert result.returncode == 0
        schema = json.loads(result.stdout)
        assert schema["$schema"].endswith("2020-12/schema")
        assert required in schema["required"]
        assert schema.get("additionalProperties") is False


def test_version_and_help():
    from ztlab import __version__

    assert __version__ in ztlab("--version").stdout
    help_text = ztlab("--help").stdout
    assert "content" in help_text
