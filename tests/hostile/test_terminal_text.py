"""Untrusted text never drives the terminal: escape sequences, direction overrides and newlines
from packs, bundles and scripts are printed as visible escapes, and names are cut to a length."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ztlab.untrusted.text import MAX_NAME, safe_block, safe_line, safe_name

ATTACKS = ["\x1b[2J", "\x1b]0;pwned\x07", "\u202eevil", "a\nforged row", "\x9b31m", "\x00", "zero\u200bwidth"]
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_safe_line_leaves_no_control_character_and_one_line(text):
    out = safe_line(text)
    assert not RAW.search(out) and "\n" not in out


@given(st.text())
def test_safe_name_is_capped(text):
    assert len(safe_name(text)) <= MAX_NAME


@given(st.text())
def test_safe_block_keeps_lines_and_nothing_else(text):
    out = safe_block(text)
    assert not RAW.search(out)
    assert out.count("\n") == text.replace("\r\n", "\n").count("\n")


def test_card_text_from_a_pack_is_printed_inert_in_content_check(ztlab, tmp_path):
    (tmp_path / "pack" / "flashcards").mkdir(parents=True)
    (tmp_path / "pack" / "flashcards" / "x.yaml").write_text(
        'lesson: checklist-and-takeaways\ncards:\n  - id: c1\n    principle: "nope\\e]0;pwned\\a\\u202e"\n'
        '    front: "a"\n    back: "b"\n', encoding="utf-8")
    result = ztlab("content", "check", tmp_path / "pack", cpu_limit=10)
    assert result.code == 1
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert re.search(r"x\.yaml:4:\d+: .*nope\\x1b\]0;pwned\\x07\\u202e", result.out), result.out


def test_a_learner_name_cannot_forge_a_report_row(tmp_path):
    from ztlab.workshop.report import LearnerRow  # noqa: F401  (the report renders names through safe_name)

    name = "Mallory\nAda Lovelace  ✓ ✓ ✓   100  \x1b[2J" + "x" * 500
    shown = safe_name(name)
    assert "\n" not in shown and "\x1b" not in shown and len(shown) <= MAX_NAME
