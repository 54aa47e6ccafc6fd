"""The course cache (content/cache.py): a command sees every edit, every new problem, and never
trusts a cache folder someone else could write to."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ztlab.content import ContentError, load_course_or_raise
from ztlab.content import cache
from ztlab.locations import locations

from tests.srs.conftest import write_pack

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack", {"alpha": 2})


def _retitle(pack: Path, title: str) -> None:
    lesson_file = pack / "lessons" / "alpha.yaml"
    lesson = yaml.safe_load(lesson_file.read_text())
    lesson["title"] = title
    lesson_file.write_text(yaml.safe_dump(lesson))


def _run_ztlab(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, timeout=120)


def test_an_edit_shows_in_the_next_command(pack: Path):
    cache._MEMO.clear()
    assert load_course_or_raise([pack]).lessons["alpha"].title == "Lesson alpha"
    assert list(locations().cache_dir.glob("course-*.pickle")), "a problem-free course is kept"
    _retitle(pack, "Renamed lesson")
    assert load_course_or_raise([pack]).lessons["alpha"].title == "Renamed lesson"


def test_a_problem_added_after_caching_is_reported(pack: Path):
    load_course_or_raise([pack])
    (pack / "flashcards" / "alpha.yaml").write_text("lesson: alpha\ncards: []\n")
    with pytest.raises(ContentError) as caught:
        load_course_or_raise([pack])
    assert "alpha.yaml" in str(caught.value.problems[0])


def test_the_cli_reports_an_edit_in_a_fresh_process(pack: Path):
    first = _run_ztlab("--content", str(pack), "cards", "stats")
    assert first.returncode == 0, first.stderr
    _retitle(pack, "Edited between two commands")
    lesson_file = pack / "lessons" / "alpha.yaml"
    lesson_file.write_text(lesson_file.read_text().replace("order: 100", "order: notanumber"))
    second = _run_ztlab("--content", str(pack), "cards", "stats")
    assert second.returncode == 1 and "order" in second.stderr


@pytest.mark.skipif(os.name != "posix", reason="folder modes")
def test_a_cache_folder_others_can_write_is_ignored(pack: Path):
    load_course_or_raise([pack])
    folder = locations().cache_dir
    planted = next(folder.glob("course-*.pickle"))
    # Someone able to write here could plant a pickle that runs code: with the folder group-writable,
    # the cache is not read at all (the YAML is), so the planted title never shows.
    course = pickle.loads(planted.read_bytes())
    course.lessons["alpha"] = course.lessons["alpha"].model_copy(update={"title": "Planted"})
    planted.write_bytes(pickle.dumps(course))
    cache._MEMO.clear()
    assert load_course_or_raise([pack]).lessons["alpha"].title == "Planted"  # our own folder: trusted
    cache._MEMO.clear()
    folder.chmod(0o777)
    assert load_course_or_raise([pack]).lessons["alpha"].title == "Lesson alpha"
