"""A hostile content pack, bundle and grader on the real app: whatever a pack, a learner or a grade
script writes, the terminal is sent no escape sequence, no control or direction character, and no
markup of theirs takes effect; a 10,000-character title is cut. (The CLI's side is in tests/hostile/.)

Each screen is checked on what the terminal would really be sent: the text of every segment the
compositor renders, toasts included.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.tui.conftest import MemoryProgress, settle, wait_until
from ztlab.labs.results import ObjectiveResult
from ztlab.srs import ProgressStore
from ztlab.tui import messages
from ztlab.tui.app import ZtlabApp
from ztlab.tui.screens.lab import LabScreen
from ztlab.tui.screens.labs import LabsScreen
from ztlab.tui.screens.reader import LessonReaderScreen
from ztlab.workshop import build_bundle, load_workshop, write_bundle

WIDE = (200, 60)  # wide enough that each hostile string is on one line where it is shown
CLEAR = "\x1b[2J"  # erase the screen
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
LINK = "\x1b]8;;https://evil.example/\x07here\x1b]8;;\x07"  # OSC 8: a hyperlink
RLO = "\u202e"  # right-to-left override: what follows is drawn reversed
HOSTILE = f"X{CLEAR}{CLIPBOARD}{LINK}{RLO}[bold red]red[/bold red][@click=app.quit]q[/]"
# How each part must look on screen: the escapes visible, the markup as literal brackets.
SHOWN = ["\\x1b[2J", "\\x1b]52;c;cHduZWQ=\\x07", "\\x1b]8;;https://evil.example/\\x07here\\x1b]8;;\\x07",
         "\\u202e", "[bold red]red[/bold red]", "[@click=app.quit]q[/]"]
LONG = "L" * 10_000
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar: \u001b and all


def write_hostile_pack(root: Path) -> Path:
    body = "B " + HOSTILE + "\n\n```bash\necho C " + HOSTILE + "\n```\n"
    (root / "lessons").mkdir(parents=True)
    (root / "flashcards").mkdir()
    (root / "labs" / "evil-lab").mkdir(parents=True)
    (root / "lessons" / "01.yaml").write_text(f"""\
id: evil
title: {quoted("T " + HOSTILE)}
principles: [verify-explicitly]
order: 1
summary: {quoted("S " + HOSTILE)}
sections:
  - title: {quoted("H " + HOSTILE)}
    body: {quoted(body)}
takeaways:
  - {quoted("K " + HOSTILE)}
""", encoding="utf-8")
    (root / "lessons" / "02.yaml").write_text(f"""\
id: long
title: {LONG}
principles: [verify-explicitly]
order: 2
summary: A title that never ends.
sections:
  - title: One
    body: Text.
takeaways:
  - One.
""", encoding="utf-8")
    (root / "flashcards" / "evil.yaml").write_text(f"""\
lesson: evil
cards:
  - id: evil-card
    principle: verify-explicitly
    front: {quoted("F " + HOSTILE)}
    back: {quoted("A " + HOSTILE)}
    explanation: {quoted("W " + HOSTILE)}
""", encoding="utf-8")
    (root / "labs" / "evil-lab" / "lab.yaml").write_text(f"""\
id: evil-lab
title: {quoted("L " + HOSTILE)}
principles: [least-privilege]
difficulty: intro
minutes: 10
briefing: {quoted("R " + HOSTILE)}
lessons: [evil]
objectives:
  - id: private
    title: {quoted("O " + HOSTILE)}
    check:
      id: s3_bucket_public_access_block
      resources: [evil-bucket]
""", encoding="utf-8")
    return root


def on_screen(app) -> str:
    """Every character the terminal would be sent for the screen on top, row by row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def widget_texts(app, selector: str = "*") -> list[str]:
    """What each widget occupies on screen, its wrapped lines joined and whitespace dropped."""
    strips = app.screen._compositor.render_strips()
    texts = []
    for widget in app.screen.query(selector):
        region = widget.content_region
        if region.width <= 0 or region.height <= 0:
            continue
        rows = strips[max(region.y, 0):region.bottom]
        texts.append(_squeezed("".join(strip.crop(region.x, region.right).text for strip in rows)))
    return texts


def shows(app, text: str, selector: str = "*") -> bool:
    return any(_squeezed(text) in shown for shown in widget_texts(app, selector))


def assert_inert(app, *prefixes: str, shown: list[str] = SHOWN) -> str:
    """Nothing raw reaches the terminal, and each `prefix` + the hostile string is shown inert: its
    escapes visible, its markup as literal brackets, in the widget that shows it."""
    text = on_screen(app)
    raw = RAW.search(text)
    assert raw is None, f"{raw.group(0)!r} reaches the terminal on {type(app.screen).__name__}:\n{text}"
    expected = _squeezed("".join(shown))
    for prefix in prefixes:
        assert shows(app, f"{prefix} X{expected}"), f"'{prefix} X…' is not shown inert:\n{text}"
    return text


@pytest.fixture
def hostile_pack(tmp_path: Path) -> Path:
    return write_hostile_pack(tmp_path / "pack")


@pytest.mark.slow  # about 3 s: three screens with Markdown
async def test_lessons_reader_palette_and_help_show_a_hostile_pack_inert(hostile_pack):
    app = ZtlabApp(content_dirs=[hostile_pack], include_builtin=False, progress=MemoryProgress())
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        assert not app.content_problems
        assert_inert(app, "T", "S")  # Home's next step: the title and summary, in markup
        await pilot.press("l")
        await pilot.pause()
        lessons = assert_inert(app, "T", "S", "L")  # the list row, the preview and its lab
        assert shows(app, "2.LLLL", "OptionList") and not shows(app, "L" * 200)  # the long title is cut

        app.post_message(messages.OpenLesson("evil"))
        await wait_until(pilot, lambda: isinstance(app.screen, LessonReaderScreen) and shows(app, "K X"),
                         "the reader's Markdown")
        reader = assert_inert(app, "T", "S", "H", "B", "C", "K")  # header, Markdown, code block
        assert "red" in reader and "[bold red]" in reader

        await pilot.press("question_mark")
        await pilot.pause()
        assert_inert(app, "T")  # "Keys on <title>": markup around the lesson's title
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("d")  # mark done: the toast quotes the lesson's title
        await wait_until(pilot, lambda: shows(app, "T X", "Toast"), "the mark-done toast")
        assert_inert(app, "T")

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open lesson")
        await wait_until(pilot, lambda: shows(app, "Open lesson: T X"), "palette hits")
        assert_inert(app, "Open lesson: T")
        assert app.is_running  # [@click=app.quit] in a title is text, not an action


async def test_labs_lab_screen_grades_and_errors_show_hostile_text_inert(hostile_pack):
    app = ZtlabApp(content_dirs=[hostile_pack], include_builtin=False, progress=MemoryProgress())
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, LabsScreen), "the labs list")
        assert_inert(app, "L")  # a DataTable cell

        app.post_message(messages.OpenLab("evil-lab"))
        await wait_until(pilot, lambda: isinstance(app.screen, LabScreen) and shows(app, "R X"), "the briefing")
        screen = app.screen
        assert_inert(app, "L", "R", "O")  # header, briefing (Markdown), objectives table, detail
        # A grade script's output and names read from the account reach the detail panel; a
        # sandbox error reaches a toast. Both come as the worker would post them.
        screen.post_message(LabScreen.Graded(ObjectiveResult(
            id="private", title="O " + HOSTILE, status="FAIL", points=1, awarded=0, message="M " + HOSTILE,
            where=["W " + HOSTILE], why="Y " + HOSTILE, next_hint="N " + HOSTILE)))
        await wait_until(pilot, lambda: shows(app, "M X"), "the graded objective")
        assert_inert(app, "M", "W", "Y", "N")
        screen.post_message(LabScreen.Failed("check", "E " + HOSTILE + "\nsecond line"))
        await wait_until(pilot, lambda: shows(app, "E X", "Toast"), "the error toast")
        assert_inert(app, "E")
        assert app.is_running


async def test_review_shows_a_hostile_card_inert(hostile_pack, tmp_path):
    with ProgressStore.open(tmp_path / "progress.db", fuzzing=False) as store:
        app = ZtlabApp(content_dirs=[hostile_pack], include_builtin=False, progress=store)
        async with app.run_test(size=WIDE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await wait_until(pilot, lambda: shows(app, "F X"), "the card's front")
            assert_inert(app, "F")  # Rich Markdown
            await pilot.press("space")
            await wait_until(pilot, lambda: shows(app, "A X"), "the card's back")
            assert_inert(app, "F", "A", "W")


KEY = "k-hostile-instructor-0123456789"


async def test_instructor_shows_hostile_learner_names_inert(hostile_pack, tmp_path, monkeypatch):
    from ztlab.labs.evidence import LabEvidence

    file = tmp_path / "class.yaml"
    file.write_text(f"title: Class\nkey: {KEY}\nitems:\n  - {{lab: evil-lab, minutes: 10}}\n")
    monkeypatch.setenv("ZTLAB_WORKSHOP", str(file))
    folder = tmp_path / "submissions"
    folder.mkdir()
    monkeypatch.setenv("ZTLAB_BUNDLES", str(folder))
    workshop = load_workshop(file)
    now = time.time()
    item = LabEvidence("evil-lab", seed=1, started_at=now - 300, first_started_at=now - 300, checks=1,
                       failed_checks=1, hints=9, last_check_at=now)
    item.claimed = {"score": 0, "max_score": 1, "passed": False, "objectives": {"private": "FAIL"}}
    # Names are cut to 80 characters in the report, so this one is short enough to be seen whole.
    name = f"N X{CLEAR}{RLO}[bold red]r[/]"
    write_bundle(build_bundle(workshop, name, {"evil-lab": item}, KEY.encode()), folder)

    app = ZtlabApp(content_dirs=[hostile_pack], include_builtin=False, progress=MemoryProgress())
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: shows(app, "N X"), "the learner's row")
        assert_inert(app, "N", shown=["\\x1b[2J", "\\u202e", "[bold red]r[/]"])  # a table cell, markup
        assert shows(app, "N X\\x1b[2J\\u202e[bold red]r[/]", "#instructor-table")  # in the table's cell
