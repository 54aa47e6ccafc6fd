"""Helpers every command uses: loading the course with readable errors, and exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # the content models pull in pydantic: only commands that need them pay for it
    from ztlab.content import Course

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def content_dirs(ctx: click.Context) -> list[Path]:
    root = ctx.find_root()
    return list((root.obj or {}).get("content_dirs", []))


def load_course_for_cli(ctx: click.Context) -> "Course":
    """The course, or a readable list of content problems and exit 1 (never a traceback)."""
    from ztlab.content import ContentError, load_course_or_raise

    try:
        return load_course_or_raise(content_dirs(ctx))
    except ContentError as exc:
        exit_with_content_problems(ctx, exc.problems)


def exit_with_content_problems(ctx: click.Context, problems: list) -> NoReturn:
    click.echo(f"ztlab: the course has {len(problems)} content problem(s):", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    click.echo("Fix them, or check with: ztlab content check", err=True)
    ctx.exit(EXIT_FAIL)
    raise AssertionError("unreachable")


def workshop_path(ctx: click.Context) -> Path | None:
    return (ctx.find_root().obj or {}).get("workshop")


def workshop_for_cli(ctx: click.Context, course: Course | None = None, *, required: bool = False):
    """The workshop from `--workshop` / ZTLAB_WORKSHOP (a LoadedWorkshop), None when there is none,
    or a readable list of its problems and exit 2."""
    path = workshop_path(ctx)
    if path is None:
        if required:
            click.echo("ztlab: no workshop given. Use `ztlab --workshop FILE ...` or set ZTLAB_WORKSHOP=FILE "
                       "(`ztlab workshop init FILE` writes a starter).", err=True)
            ctx.exit(EXIT_USAGE)
        return None
    from ztlab.workshop import WorkshopError, load_workshop

    try:
        return load_workshop(Path(path), course)
    except WorkshopError as exc:
        if exc.problems:
            click.echo(f"ztlab: the workshop file has {len(exc.problems)} problem(s):", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
        else:
            click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
        raise AssertionError("unreachable")
