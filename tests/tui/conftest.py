"""Fixtures for the app's tests: a small deterministic content pack and a way to start the app on it."""

from __future__ import annotations

import asyncio
import inspect
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from textual.pilot import Pilot

from ztlab.tui.app import ZtlabApp

SIZE = (100, 32)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests on a fresh event loop (no asyncio plugin needed for a few Pilot tests)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True

LESSONS = {
    "01-perimeter.yaml": """\
        id: perimeter
        title: The perimeter is gone
        principles: [verify-explicitly, assume-breach]
        order: 1
        summary: Why a network location no longer earns trust.
        sections:
          - title: Every request is checked
            body: |
              A request from inside the VPC is checked like one from outside.

              ```json
              {"Effect": "Deny", "Action": "s3:*"}
              ```
        takeaways:
          - Location is not identity.
          - Check every request.
        """,
    "02-least.yaml": """\
        id: least
        title: Grant only what is used
        principles: [least-privilege]
        order: 2
        summary: Start from nothing and add the actions a workload really calls.
        sections:
          - title: Actions and resources
            body: |
              Name the actions and the resources.

              ```bash
              aws iam get-policy --policy-arn arn:aws:iam::123456789012:policy/app
              ```
        takeaways:
          - Wildcards widen the blast radius.
        """,
    "03-keys.yaml": """\
        id: keys
        title: Keys you control
        principles: [encrypt-everything, least-privilege]
        order: 3
        summary: Customer managed keys and who may use them.
        sections:
          - title: Key policies
            body: |
              A key policy decides who can use the key.
        takeaways:
          - The key policy is the first gate.
        """,
}

DECK = """\
    lesson: perimeter
    cards:
      - id: perimeter-motto
        principle: verify-explicitly
        front: Does being inside the network grant trust?
        back: No. Every request is verified.
      - id: perimeter-breach
        principle: assume-breach
        front: What do you assume about your network?
        back: That an attacker is already in it.
    """

LAB = """\
    id: open-bucket
    title: Close the open bucket
    principles: [least-privilege]
    difficulty: intro
    minutes: 10
    briefing: |
      A bucket is readable by anyone. Make it private.
    lessons: [least]
    objectives:
      - id: private
        title: The bucket is private
        check:
          id: s3_bucket_public_access_block
          resources: [open-bucket-data]
    """


def write_pack(root: Path) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "flashcards").mkdir()
    (root / "labs" / "open-bucket").mkdir(parents=True)
    for name, text in LESSONS.items():
        (root / "lessons" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "flashcards" / "perimeter.yaml").write_text(textwrap.dedent(DECK), encoding="utf-8")
    (root / "labs" / "open-bucket" / "lab.yaml").write_text(textwrap.dedent(LAB), encoding="utf-8")
    return root


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack")


@pytest.fixture
def make_app(pack: Path) -> Callable[..., ZtlabApp]:
    def make(**kwargs) -> ZtlabApp:
        kwargs.setdefault("content_dirs", [pack])
        kwargs.setdefault("include_builtin", False)
        return ZtlabApp(**kwargs)

    return make


async def settle(pilot: Pilot) -> None:
    """Wait until the background load has finished and its results are on screen."""
    app: ZtlabApp = pilot.app  # type: ignore[assignment]
    for _ in range(200):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if not app.content_loading:
            break
    await pilot.pause()
    await pilot.pause()


def shown_text(widget, width: int = 100) -> str:
    """What a Static shows, as plain text (markup, Markdown and Rich renderables rendered)."""
    from rich.console import Console

    content = widget.content
    if isinstance(content, str):
        from rich.text import Text

        content = Text.from_markup(content)
    console = Console(width=width, color_system=None, force_terminal=False)
    with console.capture() as captured:
        console.print(content)
    return captured.get()


async def wait_until(pilot: Pilot, condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Let the app run until `condition` holds (workers included); a hang guard, not a delay."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


async def palette_search(pilot: Pilot, text: str) -> None:
    """Type into the open command palette and wait until its search has listed the hits."""
    from textual.command import CommandList

    await pilot.press(*text)
    await wait_until(pilot, lambda: pilot.app.screen.query_one(CommandList).option_count > 0, f"palette hits for {text!r}")


class MemoryProgress:
    """A ProgressSource kept in memory (the Protocol ztlab.srs.ProgressStore fulfils), to drive the app."""

    def __init__(self, done: set[str] | None = None) -> None:
        self.done = set(done or ())

    def lesson_progress(self) -> dict[str, datetime]:
        return {lesson_id: datetime(2026, 1, 1, tzinfo=timezone.utc) for lesson_id in self.done}

    def mark_lesson_done(self, lesson_id: str) -> None:
        self.done.add(lesson_id)

    def mark_lesson_not_done(self, lesson_id: str) -> None:
        self.done.discard(lesson_id)
