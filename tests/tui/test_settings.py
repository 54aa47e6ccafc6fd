from __future__ import annotations

import yaml
from textual.widgets import Input, Select, Static

from tests.tui.conftest import SIZE, settle
from ztlab.locations import locations
from ztlab.settings import load_settings
from ztlab.tui.screens.home import HomeScreen
from ztlab.tui.screens.lessons import LessonsScreen
from ztlab.tui.screens.settings import SettingsScreen


async def _open_settings(pilot):
    await settle(pilot)
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def _type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.clear()
    await pilot.press(*text)
    await pilot.pause()


def _error(screen, name: str) -> str:
    error = screen.query_one(f"#error-{name}", Static)
    return str(error.content) if error.display else ""


async def test_a_valid_change_is_saved_at_once_and_bad_input_is_explained_and_not_saved(make_app):
    app = make_app()
    config = locations().config_file
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_settings(pilot)
        assert screen.query_one("#input-desired_retention", Input).value == "0.9"
        assert not config.exists()  # opening the screen saves nothing

        await _type_into(pilot, "#input-desired_retention", "0.85")
        assert load_settings().desired_retention == 0.85
        assert app.settings.desired_retention == 0.85
        assert "Saved to" in str(screen.query_one("#settings-status", Static).content)

        await _type_into(pilot, "#input-desired_retention", "0.5")
        assert "at least 0.7" in _error(screen, "desired_retention")
        assert load_settings().desired_retention == 0.85

        await _type_into(pilot, "#input-reviews_per_day", "")
        assert "whole number" in _error(screen, "reviews_per_day")
        await _type_into(pilot, "#input-reviews_per_day", "150")
        assert _error(screen, "reviews_per_day") == ""
        assert load_settings().reviews_per_day == 150


async def test_letters_typed_into_a_field_stay_in_the_field(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#input-backend", Select).value = "localstack"
        await pilot.pause()
        await _type_into(pilot, "#input-localstack_endpoint", "http://localhost:4566")
        assert isinstance(app.screen, SettingsScreen)  # 'h', 'l', 's' and 'q' went into the field
        assert load_settings().localstack_endpoint == "http://localhost:4566"
        await _type_into(pilot, "#input-desired_retention", "hlsq")  # a number field ignores letters
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")  # leave the field; single-letter keys work again
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_backend_and_endpoint_are_validated(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_settings(pilot)
        assert screen.query_one("#row-localstack_endpoint").disabled  # only used with LocalStack
        screen.query_one("#input-backend", Select).value = "localstack"
        await pilot.pause()
        assert load_settings().backend == "localstack"
        assert not screen.query_one("#row-localstack_endpoint").disabled
        await _type_into(pilot, "#input-localstack_endpoint", "localhost")
        assert "not a URL" in _error(screen, "localstack_endpoint")
        assert load_settings().localstack_endpoint is None


async def test_theme_is_applied_at_once_saved_and_used_on_the_next_start(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_settings(pilot)
        screen.query_one("#input-theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"
        assert load_settings().theme == "nord"
        app.theme = "gruvbox"  # as the command palette's theme picker does
        await pilot.pause()
        assert load_settings().theme == "gruvbox"
        assert screen.query_one("#input-theme", Select).value == "gruvbox"
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "gruvbox"


async def test_keymap_from_the_settings_remaps_keys_and_unknown_ids_are_reported(make_app):
    config = locations().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(yaml.safe_dump({"keymap": {"go.lessons": "g", "go.nowhere": "x"}}))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("go.nowhere" in str(n.message) for n in app._notifications)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, LessonsScreen)


async def test_a_broken_settings_file_is_reported_kept_and_can_be_replaced(make_app):
    config = locations().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("desired_retention: 5\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("desired_retention" in str(n.message) for n in app._notifications)
        screen = await _open_settings(pilot)
        problem = screen.query_one("#settings-problem", Static)
        assert problem.display and "desired_retention" in str(problem.content)
        assert screen.query_one("#row-desired_retention").disabled
        assert config.read_text() == "desired_retention: 5\n"  # nothing overwritten

        await pilot.click("#reset-settings")
        await pilot.pause()
        assert config.with_name("config.yaml.broken").read_text() == "desired_retention: 5\n"
        assert load_settings().desired_retention == 0.9
        assert not problem.display and not screen.query_one("#row-desired_retention").disabled
