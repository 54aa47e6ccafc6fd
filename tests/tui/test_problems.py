from __future__ import annotations

from textual.widgets import Static

from tests.tui.conftest import LESSONS, SIZE, settle
from ztlab.tui.screens.home import HomeScreen
from ztlab.tui.screens.problems import ProblemsScreen


async def test_content_problems_are_listed_with_file_and_line_and_r_reloads_after_a_fix(make_app, pack):
    lesson = pack / "lessons" / "02-least.yaml"
    good = lesson.read_text()
    lesson.write_text(good.replace("order: 2", "order: second"))
    (pack / "lessons" / "04-broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        text = "\n".join(str(s.content) for s in app.screen.query(".problem").results(Static))
        assert "02-least.yaml:4:" in text  # order: not a number
        assert "04-broken.yaml:" in text and "expected valid YAML" in text
        assert "lab.yaml" in text and "refers to lesson 'least'" in text  # knock-on problem, located too
        count = len(app.content_problems)
        assert count == 3 and f"{count} content problems" in str(app.screen.query_one("#problems-title", Static).content)
        await pilot.press("h")  # the rest of the app stays out of reach until the course loads
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)

        lesson.write_text(good)
        (pack / "lessons" / "04-broken.yaml").unlink()
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "The perimeter is gone" in str(app.screen.query_one("#next-step-text", Static).content)
        assert len(app.course.lessons) == len(LESSONS)
