"""The app's pure parts: settings parsing, theme peek, lesson text, keymap ids, and the import rule."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ztlab.content import load_course
from ztlab.settings import Settings, save_settings
from ztlab.tui.keymap import ALL_BINDINGS, unknown_ids
from ztlab.tui.lesson_text import lesson_markdown
from ztlab.tui.loading import peek_theme
from ztlab.tui.settings_form import InvalidSetting, updated


@pytest.mark.parametrize(
    ("name", "raw", "reason"),
    [
        ("desired_retention", "0.69", "at least 0.7"),
        ("desired_retention", "1", "at most 0.99"),
        ("desired_retention", "abc", "not a number"),
        ("new_cards_per_day", "2.5", "not a whole number"),
        ("reviews_per_day", "-1", "at least 0"),
        ("localstack_endpoint", "127.0.0.1:4566", "not a URL"),
        ("backend", "aws", "moto"),
    ],
)
def test_bad_values_are_refused_with_a_reason(name, raw, reason):
    with pytest.raises(InvalidSetting, match=reason):
        updated(Settings(), name, raw)


def test_good_values_are_parsed():
    settings = updated(Settings(), "desired_retention", " 0.95 ")
    settings = updated(settings, "localstack_endpoint", "")
    assert settings.desired_retention == 0.95 and settings.localstack_endpoint is None
    assert updated(settings, "new_cards_per_day", "7").new_cards_per_day == 7


def test_peek_theme_reads_what_save_settings_writes(tmp_path):
    path = tmp_path / "config.yaml"
    assert peek_theme(path) is None
    save_settings(Settings(theme="nord"), path)
    assert peek_theme(path) == "nord"


def test_lesson_markdown_keeps_sections_code_and_takeaways(pack):
    course, problems = load_course([pack], include_builtin=False)
    assert not problems
    text = lesson_markdown(course.lessons["perimeter"])
    assert text.startswith("# The perimeter is gone\n")
    assert "## Every request is checked" in text and '```json\n{"Effect": "Deny"' in text
    assert text.rstrip().endswith("- Check every request.")


def test_binding_ids_are_unique_and_typos_are_found():
    ids = [b.id for b in ALL_BINDINGS]
    assert all(ids) and len(ids) == len(set(ids))
    assert unknown_ids({"reader.next": "right", "reader.nxt": "x"}) == ["reader.nxt"]


@pytest.mark.slow  # a fresh interpreter (a subprocess)
def test_the_app_imports_no_pydantic_boto3_or_moto_before_its_first_paint():
    code = (
        "import sys, ztlab.cli.main, ztlab.tui.app, ztlab.tui.screens.home\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'boto3', 'botocore', 'moto') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
