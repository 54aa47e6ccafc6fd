"""What the `cards` and `review` commands share: opening the store, card filters."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click

from ztlab.cli.common import EXIT_FAIL, EXIT_USAGE
from ztlab.principles import PRINCIPLES


def filter_options(command):
    command = click.option("--tag", help="Only cards with this tag (`leech` also finds leeches).")(command)
    command = click.option("--principle", type=click.Choice(PRINCIPLES), help="Only cards about this principle.")(command)
    command = click.option("--lesson", help="Only this lesson's cards (its deck and linked cards).")(command)
    return command


def make_filter(ctx: click.Context, course, lesson: str | None, principle: str | None, tag: str | None):
    from ztlab.srs import QueueFilter

    if lesson and lesson not in course.lessons:
        known = ", ".join(sorted(course.lessons)) or "none"
        click.echo(f"ztlab: no lesson {lesson!r}. Lessons: {known}", err=True)
        ctx.exit(EXIT_USAGE)
    return QueueFilter(lesson=lesson, principle=principle, tag=tag)


@contextmanager
def open_store(ctx: click.Context) -> Iterator:
    """The progress store with the learner's settings; any store problem (opening it, or damage
    found while reading) becomes a readable message and exit 1, never a traceback."""
    from ztlab.settings import SettingsError, load_settings
    from ztlab.srs import ProgressStore, StoreError

    try:
        settings = load_settings()
    except SettingsError as exc:
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    try:
        store = ProgressStore.open(settings=settings)
    except StoreError as exc:
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_FAIL)
    try:
        yield store
    except StoreError as exc:
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_FAIL)
    finally:
        store.close()
