"""Instructor screen: the class from a folder of bundles built by the real workshop core."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, settle
from ztlab.labs.evidence import LabEvidence
from ztlab.workshop import build_bundle, load_workshop, write_bundle

KEY = "k-instructor-screen-0123456789"
LAB = "open-bucket"  # the lab in the tests' content pack, one objective: `private`


@pytest.fixture
def workshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    file = tmp_path / "class.yaml"
    file.write_text(f"title: Screen class\nkey: {KEY}\nitems:\n  - {{lab: {LAB}, minutes: 10}}\n")
    monkeypatch.setenv("ZTLAB_WORKSHOP", str(file))
    return load_workshop(file)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "submissions"
    path.mkdir()
    monkeypatch.setenv("ZTLAB_BUNDLES", str(path))
    return path


def submit(folder: Path, workshop, name: str, status: str, *, minutes: float = 5, hints: int = 0) -> Path:
    now = time.time()
    item = LabEvidence(LAB, seed=1, started_at=now - minutes * 60, first_started_at=now - minutes * 60,
                       checks=1, failed_checks=0 if status == "PASS" else 1, hints=hints, last_check_at=now)
    item.claimed = {"score": 1 if status == "PASS" else 0, "max_score": 1,  # the pack's lab: one 1-point objective "passed": status == "PASS",
                    "objectives": {"private": status}}
    return write_bundle(build_bundle(workshop, name, {LAB: item}, KEY.encode()), folder)


def rows(table) -> dict[str, list[str]]:
    return {str(row[0]): [str(cell) for cell in row] for row in map(table.get_row_at, range(table.row_count))}


async def refreshed(pilot, key: str | None = "g") -> None:
    if key:
        await pilot.press(key)
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_class_table_follows_the_folder(make_app, workshop, folder):
    submit(folder, workshop, "Ada", "PASS")
    submit(folder, workshop, "Bo", "FAIL", minutes=30, hints=5)  # over 1.5x the 10 min box, 5 hints
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await refreshed(pilot, key=None)
        screen = app.screen
        assert screen.sub_title == "Instructor"
        learners = rows(screen.query_one("#instructor-table"))
        assert set(learners) == {"Ada", "Bo"}
        # Points come from the lab's own table; nothing regraded yet, so they are claims.
        assert learners["Ada"][1:6] == ["PASS", "1/1", "claimed", "0", "5 min"]
        assert learners["Ada"][6] == "ok"  # signed with the workshop's key
        assert learners["Bo"][1] == "FAIL" and learners["Bo"][4] == "5"
        assert "time box 10 min" in learners["Bo"][-1] and "5 hints" in learners["Bo"][-1]
        assert "Bo" in str(screen.query_one("#instructor-stuck").content)
        assert list(rows(screen.query_one("#instructor-rates")).values()) == [["1", LAB, "private", "1/2", "50%"]]
        assert not screen.query_one("#instructor-unreadable").display

        submit(folder, workshop, "Cy", "PASS")
        (folder / "broken.json").write_text("{not json", encoding="utf-8")
        await refreshed(pilot)
        learners = rows(screen.query_one("#instructor-table"))
        assert set(learners) == {"Ada", "Bo", "Cy"}
        assert list(rows(screen.query_one("#instructor-rates")).values())[0][3:] == ["2/3", "66%"]
        unreadable = screen.query_one("#instructor-unreadable")
        assert unreadable.display
        assert "broken.json" in str(unreadable.content) and "not valid JSON" in str(unreadable.content)


async def test_another_folder_typed_in_and_a_missing_one_explained(make_app, workshop, folder, tmp_path):
    other = tmp_path / "room-b"
    submit(other, workshop, "Di", "PASS")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await refreshed(pilot, key=None)
        screen = app.screen
        assert screen.query_one("#instructor-table").row_count == 0
        field = screen.query_one("#instructor-folder")
        for target, expected in ((tmp_path / "nowhere", "does not exist"), (other, "1[/b] submission")):
            field.focus()
            field.value = str(target)
            await refreshed(pilot, key="enter")
            assert expected in str(screen.query_one("#instructor-summary").content)
        assert set(rows(screen.query_one("#instructor-table"))) == {"Di"}
        await refreshed(pilot, key="g")  # focus left the field, so g reads again instead of typing
        assert field.value == str(other)
