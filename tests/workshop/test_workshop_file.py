"""The workshop file: the starter validates, problems point at their line, the path shows in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.content import load_course_or_raise
from ztlab.workshop import WorkshopError, load_workshop, workshop_key


@pytest.fixture(autouse=True)
def no_workshop_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # `--workshop` writes ZTLAB_WORKSHOP into this process's environment (for the app it opens);
    # setenv makes monkeypatch remove it again after each test.
    monkeypatch.setenv("ZTLAB_WORKSHOP", "")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_init_writes_a_starter_that_validates_and_shows_the_path_in_order(tmp_path: Path) -> None:
    file = tmp_path / "class.yaml"
    assert run("workshop", "init", str(file)).exit_code == 0
    assert "key:" in file.read_text() and "#" in file.read_text()
    shown = run("--workshop", str(file), "workshop", "show", "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert [i["id"] for i in data["items"]] == ["least-privilege", "identity-centric-security", "s3-least-privilege"]
    assert data["total_minutes"] == sum(i["minutes"] for i in data["items"])
    text = run("--workshop", str(file), "workshop", "show").output
    assert text.index("least-privilege") < text.index("s3-least-privilege")
    assert "25 min" in text
    # A second init refuses to overwrite (the key inside would change under the learners).
    assert run("workshop", "init", str(file)).exit_code == 2


def test_each_init_gets_its_own_key(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        assert run("workshop", "init", str(tmp_path / name)).exit_code == 0
    course = load_course_or_raise()
    keys = {workshop_key(load_workshop(tmp_path / n, course)) for n in ("a.yaml", "b.yaml")}
    assert len(keys) == 2


def test_lab_list_under_a_workshop_shows_only_its_labs_in_its_order(tmp_path: Path) -> None:
    file = tmp_path / "class.yaml"
    file.write_text("title: one lab\nkey: k-0123456789abcdef\nitems:\n  - {lab: s3-least-privilege, minutes: 30}\n")
    everything = json.loads(run("lab", "list", "--format", "json").output)
    scoped = json.loads(run("--workshop", str(file), "lab", "list", "--format", "json").output)
    assert [(l["id"], l["minutes"]) for l in scoped] == [("s3-least-privilege", 30)]
    assert len(everything) >= len(scoped)


def test_problems_are_located_and_exit_2(tmp_path: Path) -> None:
    file = tmp_path / "broken.yaml"
    file.write_text("title: broken\nkey: k-0123456789abcdef\nitems:\n  - {lab: no-such-lab, minutes: 10}\n"
                    "  - {lesson: least-privilege, minutes: 0}\n")
    result = CliRunner().invoke(cli, ["--workshop", str(file), "workshop", "show"])
    assert result.exit_code == 2
    assert f"{file}:5:" in result.output and "minutes" in result.output
    file.write_text("title: broken\nkey: k-0123456789abcdef\nitems:\n  - {lab: no-such-lab, minutes: 10}\n")
    result = CliRunner().invoke(cli, ["--workshop", str(file), "workshop", "show"])
    assert result.exit_code == 2
    assert f"{file}:4:" in result.output and "no-such-lab" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("body, needle", [
    ("title: t\nkey: short\nitems: [{lab: s3-least-privilege, minutes: 5}]\n", "too short"),
    ("title: t\nitems: [{lab: s3-least-privilege, minutes: 5}]\n", "exactly one of `key`"),
    ("title: t\nkey: k-0123456789abcdef\nkey_env: X\nitems: [{lab: s3-least-privilege, minutes: 5}]\n", "exactly one of `key`"),
    ("title: t\nkey: k-0123456789abcdef\nitems: [{lab: s3-least-privilege, lesson: least-privilege, minutes: 5}]\n", "exactly one `lesson` or `lab`"),
    ("title: t\nkey: k-0123456789abcdef\nitems: [{lab: s3-least-privilege, minutes: 5}, {lab: s3-least-privilege, minutes: 5}]\n", "twice"),
    ("title: [unclosed\n", "YAML syntax error"),
])
def test_bad_files_say_what_is_wrong(tmp_path: Path, body: str, needle: str) -> None:
    file = tmp_path / "w.yaml"
    file.write_text(body)
    with pytest.raises(WorkshopError) as caught:
        load_workshop(file, load_course_or_raise())
    assert needle in str(caught.value)


def test_key_from_env_or_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = load_course_or_raise()
    env_file = tmp_path / "env.yaml"
    env_file.write_text("title: t\nkey_env: CLASS_KEY\nitems: [{lab: s3-least-privilege, minutes: 5}]\n")
    monkeypatch.delenv("CLASS_KEY", raising=False)
    with pytest.raises(WorkshopError, match="CLASS_KEY"):
        workshop_key(load_workshop(env_file, course))
    monkeypatch.setenv("CLASS_KEY", "from-the-whiteboard-123")
    assert workshop_key(load_workshop(env_file, course)) == b"from-the-whiteboard-123"
    file_file = tmp_path / "file.yaml"
    file_file.write_text("title: t\nkey_file: class.key\nitems: [{lab: s3-least-privilege, minutes: 5}]\n")
    with pytest.raises(WorkshopError, match="class.key"):
        workshop_key(load_workshop(file_file, course))
    (tmp_path / "class.key").write_text("a-key-kept-beside-the-file\n")
    assert workshop_key(load_workshop(file_file, course)) == b"a-key-kept-beside-the-file"


def test_submit_without_a_workshop_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["workshop", "submit"])
    assert result.exit_code == 2 and "--workshop" in result.output
