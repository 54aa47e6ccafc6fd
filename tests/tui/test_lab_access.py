"""The lab screen's access explorer against the real sandbox, at 80x24: `e` shows who can perform
the lab's actions on the resources its objectives name, on the account the latest check read,
and the answer follows the learner's fix after the next check."""

from __future__ import annotations

import pytest

from tests.tui.conftest import shown_text
from tests.tui.test_labs import lab_pack, open_lab, run_and_wait, sandbox_stopped_after  # noqa: F401 - fixtures

pytestmark = [pytest.mark.server, pytest.mark.slow]
SMALL = (80, 24)


def lines_of(screen) -> dict[str, str]:
    """action -> who, for the object the lab asks about."""
    text = shown_text(screen.query_one("#lab-access-text"), width=200)
    block = text.split("arn:aws:s3:::tr-data/exports/a.csv", 1)[1].split("\narn:", 1)[0]
    out = {}
    for line in block.strip().splitlines():
        action, _, who = line.strip().partition(" ")
        out[action] = who.strip()
    return out


async def wait_for_access(pilot) -> str:
    for _ in range(600):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        text = shown_text(pilot.app.screen.query_one("#lab-access-text"), width=200)
        if "Asking" not in text and text.strip():
            return text
    raise AssertionError("the access explorer never answered")


async def test_who_can_act_follows_each_check_at_80x24(make_app, lab_pack, sandbox_stopped_after):  # noqa: F811
    from ztlab.tui.screens.lab import LabScreen

    app = make_app(content_dirs=[lab_pack])
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_lab(pilot, "tight-role")
        assert isinstance(screen, LabScreen)
        assert not screen.check_action("toggle_access", ())  # nothing to ask before the lab is set up
        await run_and_wait(pilot, "g")
        assert screen.check_action("toggle_access", ())
        footer = screen.active_bindings["e"]
        assert footer.binding.show and footer.binding.description == "Who can…" and footer.enabled

        await pilot.press("b")  # back to the briefing pane: the explorer brings its own pane up
        await pilot.pause()
        assert not screen.query_one("#lab-side").display
        await pilot.press("e")
        text = await wait_for_access(pilot)
        panel = screen.query_one("#lab-access")
        assert panel.display and screen.query_one("#lab-side").display and not screen.query_one("#lab-briefing").display
        assert panel.region.right <= 80 and panel.region.bottom <= 24 and panel.size.height >= 3
        assert not screen.query_one("#objective-detail").display  # it takes the selected objective's place
        assert "Not checked yet" in text

        await run_and_wait(pilot, "c")
        await wait_for_access(pilot)
        before = lines_of(screen)
        # s3:* on *: the role can write and delete the object; the objectives' actions, exactly
        assert set(before) == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
        assert "role/exporter" in before["s3:PutObject"] and "role/exporter" in before["s3:DeleteObject"]
        assert "role/exporter" in before["s3:GetObject"]
        text = shown_text(screen.query_one("#lab-access-text"), width=200)
        assert "arn:aws:iam::" in text and ":role/exporter" in text  # the role the objectives ask about
        assert "account 481516234200" not in before["s3:GetObject"]  # no outsider reads it

        await pilot.press("S")  # the instructor's solution: GetObject on exports/* only
        await pilot.pause()
        await pilot.press("tab")
        await run_and_wait(pilot, "enter")
        assert lines_of(screen) == before  # still the account as the last check read it
        await run_and_wait(pilot, "c")
        await wait_for_access(pilot)
        after = lines_of(screen)
        assert "role/exporter" in after["s3:GetObject"]
        assert "role/exporter" not in after["s3:PutObject"] and "role/exporter" not in after["s3:DeleteObject"]

        await pilot.press("e")  # back to the selected objective
        await pilot.pause()
        assert not panel.display and screen.query_one("#objective-detail").display
