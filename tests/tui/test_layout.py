"""Every screen usable at 80x24: the reader and the lab briefing get the width, code blocks wider
than the column show a scrollbar and scroll from the keyboard, the lab shows one pane at a time."""

from __future__ import annotations

import textwrap

import pytest

from tests.tui.conftest import settle
from ztlab.tui.widgets.course_markdown import CodeBlock

SMALL = (80, 24)
WIDE_LINE = '{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::exports/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}'

WIDE_LESSON = f"""\
    id: wide
    title: A wide policy
    principles: [encrypt-everything]
    order: 0
    summary: A lesson whose code is wider than a small terminal.
    sections:
      - title: The statement
        body: |
          Refuse every request that is not over TLS:

          ```json
          {WIDE_LINE}
          ```
    takeaways:
      - Deny plain HTTP.
    """


@pytest.fixture
def wide_pack(pack):
    (pack / "lessons" / "00-wide.yaml").write_text(textwrap.dedent(WIDE_LESSON), encoding="utf-8")
    return pack


async def open_keys(pilot, *keys: str) -> None:
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_wide_lesson(pilot) -> None:
    from ztlab.tui import messages

    await settle(pilot)
    pilot.app.post_message(messages.OpenLesson("wide"))
    await open_keys(pilot)


async def test_a_lesson_at_80x24_gets_the_width_and_its_wide_code_scrolls(make_app, wide_pack):
    app = make_app(content_dirs=[wide_pack])
    async with app.run_test(size=SMALL) as pilot:
        await open_wide_lesson(pilot)
        assert app.screen.sub_title == "A wide policy"
        assert not app.screen.query_one("#reader-aside").display
        assert app.screen.query_one("#reader-body").size.width >= 70  # was ~36 beside the facts panel
        block = app.screen.query_one(CodeBlock)
        assert block.too_wide and block.show_horizontal_scrollbar  # the visible mark
        for _ in range(12):
            await pilot.press("tab")
            if app.focused is block:
                break
        assert app.focused is block
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert block.scroll_x > 0
        await pilot.press("end")
        await pilot.pause()
        assert block.scroll_x == block.max_scroll_x > 0


async def test_the_lab_screen_at_80x24_shows_one_wide_pane_at_a_time(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_keys(pilot, "a", "enter")
        screen = app.screen
        assert screen.sub_title == "Close the open bucket"
        briefing, side = screen.query_one("#lab-briefing"), screen.query_one("#lab-side")
        assert briefing.display and not side.display and briefing.size.width >= 70  # was ~12
        await pilot.press("b")
        await pilot.pause()
        assert side.display and not briefing.display and side.size.width >= 70
        table = screen.query_one("#objectives")
        assert "Objectives" == table.border_title
        await pilot.pause()
        # Titles get the pane's width (they were cut at 38 columns beside 26 empty ones), and the table
        # still fits without scrolling sideways.
        assert table.columns["title"].width >= 50 and table.max_scroll_x == 0
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:  # wide: both side by side, b means nothing
        await open_keys(pilot, "a", "enter")
        assert app.screen.query_one("#lab-briefing").display and app.screen.query_one("#lab-side").display
        assert not app.screen.check_action("toggle_pane", ())
