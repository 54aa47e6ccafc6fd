"""The loader on malformed content: every problem names the file, the line, what is wrong and what
was expected. Each case is a small real content pack written to a temp folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ztlab.content import load_course

LESSON = """\
id: sample-lesson
title: A sample lesson
principles: [verify-explicitly]
order: 1
summary: A short summary.
sections:
  - title: First section
    body: |
      Some text.
takeaways:
  - One takeaway.
"""

DECK = """\
lesson: sample-lesson
cards:
  - id: sample-card
    principle: verify-explicitly
    front: What is asked?
    back: The answer.
"""

LAB = """\
id: sample-lab
title: A sample lab
principles: [least-privilege]
difficulty: intro
minutes: 10
briefing: |
  Fix the account.
objectives:
  - id: first-objective
    title: Do the thing
    check:
      id: s3_bucket_requires_tls
"""


def write_pack(root: Path, lesson: str = LESSON, deck: str = DECK, lab: str | None = None) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "flashcards").mkdir()
    (root / "lessons" / "sample.yaml").write_text(textwrap.dedent(lesson))
    (root / "flashcards" / "sample.yaml").write_text(textwrap.dedent(deck))
    if lab is not None:
        (root / "labs" / "sample-lab").mkdir(parents=True)
        (root / "labs" / "sample-lab" / "lab.yaml").write_text(textwrap.dedent(lab))
    return root


def problems_for(tmp_path: Path, **files: str):
    root = write_pack(tmp_path / "pack", **files)
    _, problems = load_course([root], include_builtin=False)
    return problems


def test_valid_pack_has_no_problems(tmp_path):
    root = write_pack(tmp_path / "pack", lab=LAB)
    course, problems = load_course([root], include_builtin=False)
    assert problems == []
    assert list(course.lessons) == ["sample-lesson"]
    assert course.card_lesson == {"sample-card": "sample-lesson"}
    assert list(course.labs) == ["sample-lab"]


# (name, which file, replace-from, replace-to, expected message fragment, expected line, expected fragment)
CASES = [
    ("yaml-bad-indent", "lesson", "summary: A short summary.", "summary: A short summary.\n   extra: nested", "mapping values are not allowed", 6, "indentation"),
    ("yaml-unclosed-quote", "lesson", "title: A sample lesson", 'title: "A sample lesson', "started at line 2", 2, "valid YAML"),
    ("yaml-tab", "lesson", "order: 1", "order:\t\t1\n\tbad: x", "YAML syntax error", 5, "valid YAML"),
    ("unknown-top-key", "lesson", "order: 1", "order: 1\ntitel: typo", "unknown key 'titel'; did you mean 'title'?", 5, "one of: id, title"),
    ("unknown-section-key", "lesson", "    body: |", "    bdy: x\n    body: |", "unknown key 'bdy'; did you mean 'body'?", 8, "one of: title, body"),
    ("unknown-card-key", "deck", "    back: The answer.", "    back: The answer.\n    hint: extra", "unknown key 'hint'", 7, "one of: id, kind"),
    ("missing-title", "lesson", "title: A sample lesson\n", "", "missing required key 'title' in the top level", 1, "a 'title' key"),
    ("missing-back", "deck", "    back: The answer.\n", "", "missing required key 'back' in cards.0", 3, "a 'back' key"),
    ("missing-section-body", "lesson", "    body: |\n      Some text.\n", "", "missing required key 'body' in sections.0", 7, "a 'body' key"),
    ("order-is-text", "lesson", "order: 1", "order: first", "'order' is the text 'first'", 4, "a whole number"),
    ("title-is-number", "lesson", "title: A sample lesson", "title: 42", "'title' is the number 42", 2, "text"),
    ("front-is-bool", "deck", "front: What is asked?", "front: yes", "'cards.0.front' is the boolean true", 5, "text"),
    ("principles-not-list", "lesson", "principles: [verify-explicitly]", "principles: verify-explicitly", "'principles' is the text 'verify-explicitly'", 3, "a list"),
    ("unknown-principle", "lesson", "principles: [verify-explicitly]", "principles: [zero-trust]", "'principles.0' is the text 'zero-trust'", 3, "'verify-explicitly'"),
    ("card-bad-principle", "deck", "principle: verify-explicitly", "principle: least_privilege", "'cards.0.principle' is the text 'least_privilege'", 4, "'least-privilege'"),
    ("empty-summary", "lesson", "summary: A short summary.", 'summary: "   "', "'summary' is empty", 5, "some text"),
    ("empty-back", "deck", "back: The answer.", "back: ''", "'cards.0.back' is empty", 6, "some text"),
    ("empty-takeaways", "lesson", "takeaways:\n  - One takeaway.", "takeaways: []", "'takeaways' is an empty list", 10, "at least 1"),
    ("bad-id-format", "lesson", "id: sample-lesson", "id: Sample Lesson", "'id' is the text 'Sample Lesson'", 1, "lowercase letters"),
    ("null-title", "lesson", "title: A sample lesson", "title:", "'title' is nothing (null)", 2, "text"),
    ("top-level-list", "lesson", LESSON, "- just\n- a list\n", "the file holds a list", 1, "a mapping of keys"),
    ("empty-file", "lesson", LESSON, "", "is empty", 1, "a YAML mapping"),
    ("duplicate-key", "lesson", "order: 1", "order: 1\norder: 2", "duplicate key 'order' (first at line 4)", 5, "each key once"),
    ("deck-unknown-lesson", "deck", "lesson: sample-lesson", "lesson: no-such-lesson", "refers to lesson 'no-such-lesson', which does not exist", 1, "existing lesson"),
    ("lesson-unknown-card", "lesson", "takeaways:", "cards: [sample-card, ghost-card]\ntakeaways:", "refers to card 'ghost-card', which does not exist", 10, "existing card"),
    ("lesson-unknown-lab", "lesson", "takeaways:", "labs: [ghost-lab]\ntakeaways:", "refers to lab 'ghost-lab', which does not exist", 10, "existing lab"),
    ("spot-flaw-without-snippet", "deck", "    front: What is asked?", "    kind: spot-the-flaw\n    front: What is asked?", "needs a `snippet`", 3, ""),
    ("bad-snippet-language", "deck", "    back: The answer.", "    snippet:\n      language: terraform\n      code: x\n    back: The answer.", "'cards.0.snippet.language' is the text 'terraform'", 7, "'hcl'"),
    ("fence-without-language", "lesson", "      Some text.", "      Some text.\n\n      ```\n      x = 1\n      ```", "a code block has no language", 11, "```json"),
    ("json-example-broken", "lesson", "      Some text.", '      Some text.\n\n      ```json\n      {"Effect": "Allow",}\n      ```', "the JSON example does not parse", 12, "valid JSON"),
    ("fence-never-closed", "lesson", "      Some text.", "      Some text.\n\n      ```bash\n      aws s3 ls", "a code fence is never closed", 11, "a closing"),
    ("negative-order", "lesson", "order: 1", "order: -3", "'order': Input should be greater than or equal to 0", 4, ""),
]


@pytest.mark.parametrize("name,which,old,new,message,line,expected", CASES, ids=[c[0] for c in CASES])
def test_malformed_content_is_located(tmp_path, name, which, old, new, message, line, expected):
    source = {"lesson": LESSON, "deck": DECK}[which]
    assert old in source, f"case {name} does not apply to the {which} template"
    bad = source.replace(old, new)
    problems = problems_for(tmp_path, **{which: bad})
    assert problems, f"{name}: no problem reported"
    matching = [p for p in problems if message in p.message]
    assert matching, f"{name}: expected {message!r} in {[str(p) for p in problems]}"
    problem = matching[0]
    assert problem.file.name == "sample.yaml"
    assert problem.file.parent.name == ("lessons" if which == "lesson" else "flashcards")
    assert problem.line == line, str(problem)
    assert problem.column >= 1
    assert expected in problem.expected


def test_all_problems_reported_not_only_the_first(tmp_path):
    lesson = LESSON.replace("title: A sample lesson", "titel: typo").replace("order: 1", "order: one")
    deck = DECK.replace("back: The answer.", "back: ''")
    problems = problems_for(tmp_path, lesson=lesson, deck=deck)
    messages = " | ".join(p.message for p in problems)
    assert "unknown key 'titel'" in messages
    assert "missing required key 'title'" in messages
    assert "'order' is the text 'one'" in messages
    assert "'cards.0.back' is empty" in messages


def test_duplicate_ids_across_files_in_one_pack(tmp_path):
    root = write_pack(tmp_path / "pack")
    (root / "flashcards" / "again.yaml").write_text(DECK)
    _, problems = load_course([root], include_builtin=False)
    dup = [p for p in problems if "duplicate card id 'sample-card'" in p.message]
    assert len(dup) == 1
    assert dup[0].file.name == "sample.yaml" or dup[0].file.name == "again.yaml"
    assert dup[0].line == 3
    assert "also in" in dup[0].message


def test_lab_id_must_match_its_folder(tmp_path):
    root = write_pack(tmp_path / "pack", lab=LAB.replace("id: sample-lab", "id: other-lab"))
    _, problems = load_course([root], include_builtin=False)
    assert any("lab id 'other-lab' differs from its folder 'sample-lab'" in p.message and p.line == 1 for p in problems)


def test_yaml_tags_are_not_executed(tmp_path):
    evil = LESSON.replace("title: A sample lesson", "title: !!python/object/apply:os.system ['echo pwned']")
    problems = problems_for(tmp_path, lesson=evil)
    assert any("YAML syntax error" in p.message and p.line == 2 for p in problems)


def test_not_utf8(tmp_path):
    root = write_pack(tmp_path / "pack")
    (root / "lessons" / "sample.yaml").write_bytes(b"id: caf\xe9\n")
    _, problems = load_course([root], include_builtin=False)
    assert any("is not UTF-8 text" in p.message for p in problems)


def test_pack_overrides_builtin_ids(tmp_path):
    course, _ = load_course()
    some_id = next(iter(course.lessons))
    root = write_pack(tmp_path / "pack", lesson=LESSON.replace("id: sample-lesson", f"id: {some_id}"),
                      deck=DECK.replace("lesson: sample-lesson", f"lesson: {some_id}"))
    merged, problems = load_course([root])
    assert problems == []
    assert merged.lessons[some_id].title == "A sample lesson"
    assert len(merged.lessons) == len(course.lessons)


def test_content_check_reports_a_lab_objective_naming_an_unknown_check(tmp_path):
    import subprocess
    import sys

    root = write_pack(tmp_path / "pack", lab=LAB.replace("id: s3_bucket_requires_tls", "id: s3_bucket_requires_tsl"))
    result = subprocess.run([sys.executable, "-m", "ztlab", "content", "check", str(root), "--only"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "lab.yaml:12:11: check 's3_bucket_requires_tsl' does not exist" in result.stdout
