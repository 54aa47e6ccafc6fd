"""Hostile course files: every one is refused with its file, line and column, quickly, or loads."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ztlab.content import load_course
from ztlab.content.located_yaml import MAX_DEPTH, load_located_text
from ztlab.labs.code import UntrustedCode, lab_function
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane

DECK_HEAD = "lesson: checklist-and-takeaways\ncards:\n"


def deck_pack(root: Path, text: str | bytes) -> Path:
    (root / "flashcards").mkdir(parents=True)
    target = root / "flashcards" / "bad.yaml"
    target.write_bytes(text.encode() if isinstance(text, str) else text)
    return root


def billion_laughs() -> str:
    text = 'lesson: a\ncards:\n - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f" - &{name} [{', '.join(['*' + previous] * 9)}]\n"
        previous = name
    return text


YAML_CASES = [
    ("alias-bomb", billion_laughs(), r"bad\.yaml:\d+:\d+", "expands to more than 1,000,000 values"),
    ("recursive-alias", "lesson: &r [pk, *r]\ncards: []\n", r"bad\.yaml:1:9", "is a recursive alias"),
    ("deep-100k", "lesson: " + "[" * 100_000 + "]" * 100_000 + "\n", r"bad\.yaml:1:\d+", "nests too deeply"),
    ("deep-over-limit", "lesson: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", r"bad\.yaml:1:\d+",
     f"nests deeper than {MAX_DEPTH} levels"),
    ("nul-byte", "lesson: a\x00b\ncards: []\n", r"bad\.yaml:1:10", "YAML cannot hold byte 0"),
    ("utf16", "lesson: a\n".encode("utf-16"), r"bad\.yaml", "is not UTF-8 text"),
]


@pytest.mark.parametrize("name,text,where,message", YAML_CASES, ids=[case[0] for case in YAML_CASES])
def test_hostile_yaml_is_refused_at_its_place(ztlab, tmp_path, name, text, where, message):
    pack = deck_pack(tmp_path / "pack", text)
    result = ztlab("content", "check", "--only", pack, cpu_limit=10)
    assert result.code == 1
    assert re.search(where + ": (YAML syntax error: )?" + re.escape(message), result.out), result.out


def test_a_50_mb_file_is_refused_without_reading_it(ztlab, tmp_path):
    pack = deck_pack(tmp_path / "pack", DECK_HEAD)
    os.truncate(pack / "flashcards" / "bad.yaml", 50_000_000)  # sparse: the size is what matters
    result = ztlab("content", "check", "--only", pack, cpu_limit=10)
    assert result.code == 1
    assert re.search(r"bad\.yaml: is 50,000,000 bytes, over the 8 MB limit", result.out), result.out


@pytest.mark.parametrize("kind", ["fifo-in-pack", "fifo-as-root", "dev-zero"])
def test_non_regular_files_are_refused_not_read(ztlab, tmp_path, kind):
    if kind == "dev-zero":
        target = Path("/dev/zero")
    else:
        target = tmp_path / "pack" / "flashcards" / "bad.yaml" if kind == "fifo-in-pack" else tmp_path / "bad.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(target)
    root = tmp_path / "pack" if kind == "fifo-in-pack" else target
    result = ztlab("content", "check", "--only", root, cpu_limit=10)
    assert result.code == 1
    assert f"{target}: is not a regular file" in result.out, result.out


def test_a_20k_card_deck_loads_in_near_linear_time(ztlab, tmp_path):
    cards = "".join(f"  - id: c{i}\n    principle: verify-explicitly\n    front: What is {i}?\n    back: It is {i}.\n"
                    for i in range(20_000))
    pack = deck_pack(tmp_path / "pack", DECK_HEAD + cards)
    # about 4 s of CPU on a quiet machine with the built-in course beneath (19 s with the old loader)
    result = ztlab("content", "check", pack, cpu_limit=25)
    assert result.code == 0, result.text
    assert "20177 flashcards" in result.out


def test_a_link_out_of_the_pack_is_refused_and_its_target_never_printed(ztlab, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("lesson: x\ncards: [SECRET-LINE-OF-ANOTHER-FILE\n")
    (tmp_path / "pack" / "flashcards").mkdir(parents=True)
    (tmp_path / "pack" / "flashcards" / "deck.yaml").symlink_to(secret)
    result = ztlab("content", "check", "--only", tmp_path / "pack", cpu_limit=10)
    assert result.code == 1
    assert f"{tmp_path / 'pack' / 'flashcards' / 'deck.yaml'}: is a link that leads outside its content pack" in result.out
    assert "SECRET-LINE" not in result.text


LAB = """\
id: probe-lab
title: A lab whose steps reach for client internals
principles: [least-privilege]
difficulty: intro
minutes: 5
briefing: |
  Nothing to do.
setup:
  - call: s3.create_bucket
    args: {Bucket: probe}
  - call: CALL
objectives:
  - id: first
    title: Something
    check:
      id: s3_bucket_requires_tls
"""


@pytest.mark.parametrize("call,message", [
    ("s3._make_api_call", "'setup.1.call'"),
    ("s3.__class__", "'setup.1.call'"),
    ("s3.meta", "'meta' is not an operation of the s3 client"),
    ("s3.get_paginator", "'get_paginator' is not an operation of the s3 client"),
    ("nosuch.create_thing", "'nosuch' is not an AWS service boto3 knows"),
])
def test_a_step_may_only_call_public_operations_of_its_client(ztlab, tmp_path, call, message):
    lab_dir = tmp_path / "pack" / "labs" / "probe-lab"
    lab_dir.mkdir(parents=True)
    (lab_dir / "lab.yaml").write_text(LAB.replace("CALL", call))
    result = ztlab("content", "check", "--only", tmp_path / "pack", cpu_limit=15)
    assert result.code == 1
    assert re.search(r"lab\.yaml:11:\d+: .*" + re.escape(message), result.out), result.out


def _code_lab(root: Path) -> Path:
    lab_dir = root / "labs" / "probe-lab"
    lab_dir.mkdir(parents=True)
    (lab_dir / "lab.yaml").write_text(LAB.replace("  - call: CALL\n", ""))
    (lab_dir / "setup.py").write_text("import pathlib\ndef setup(ctx):\n    pass\n"
                                      "pathlib.Path(__file__).with_name('RAN').write_text('x')\n")
    return lab_dir


def test_a_pack_reached_through_the_checkout_with_dotdot_is_not_builtin(tmp_path):
    lab_dir = _code_lab(tmp_path / "pack")
    climbing = REPO_ROOT / ".." / os.path.relpath(tmp_path / "pack", REPO_ROOT.parent)
    assert str(climbing).startswith(str(REPO_ROOT))
    course, problems = load_course([climbing])
    assert problems == []
    assert not course.is_builtin("lab", "probe-lab")
    with pytest.raises(UntrustedCode, match="--trust-code"):
        lab_function(course, "probe-lab", "setup", "setup", trust_code=False)
    assert not (lab_dir / "RAN").exists()


def test_a_pack_inside_the_checkout_is_not_builtin():
    root = REPO_ROOT / f".hostile-pack-{uuid.uuid4().hex}"
    try:
        lab_dir = _code_lab(root)
        course, problems = load_course([root])
        assert problems == []
        assert not course.is_builtin("lab", "probe-lab")
        assert course.is_builtin("lab", next(iter(course.labs)))  # the real course still is
        with pytest.raises(UntrustedCode):
            lab_function(course, "probe-lab", "setup", "setup", trust_code=False)
        assert not (lab_dir / "RAN").exists()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"# \n\t\x00\x1b\u202e,?%@`")), max_size=80))
def test_any_text_gives_data_or_located_problems_never_an_exception(text):
    doc, problems = load_located_text(text, Path("fuzz.yaml"))
    assert doc is not None or problems
    for problem in problems:
        assert problem.file == Path("fuzz.yaml") and problem.line >= 0


scalars = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(),
                    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=10))
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text("abcxyz", min_size=1, max_size=5), inner, max_size=4), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(documents, st.sampled_from([None, True, False]))
def test_the_c_loader_gives_the_pure_loaders_data_and_marks(data, flow):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    doc, problems = load_located_text(text, Path("x.yaml"))
    assert problems == []
    assert doc.data == yaml.load(text, Loader=yaml.SafeLoader)
    pure = yaml.SafeLoader(text)
    try:
        node = pure.get_single_node()
    finally:
        pure.dispose()
    marks = {}
    stack = [(node, ())]
    while stack:
        current, path = stack.pop()
        marks[path] = (current.start_mark.line + 1, current.start_mark.column + 1)
        if isinstance(current, yaml.MappingNode):
            stack += [(v, path + (k.value,)) for k, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            stack += [(v, path + (i,)) for i, v in enumerate(current.value)]
    assert doc.values == marks
