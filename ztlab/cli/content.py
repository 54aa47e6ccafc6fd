"""`ztlab content check` and `ztlab content schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ztlab import locations as loc
from ztlab.cli.common import EXIT_FAIL, content_dirs

SCHEMA_KINDS = ("lessons", "flashcards", "labs")


@click.group()
def content() -> None:
    """Validate course content and print its JSON Schemas."""


@content.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--only", is_flag=True, help="Check PATHS on their own, without the built-in course beneath them.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], only: bool) -> None:
    """Validate the built-in course, or content packs at PATHS (folders or single files).

    Exit 0 when valid, 1 when there are content problems, 2 for usage errors.
    """
    from ztlab.content import load_course

    roots = loc.extra_content_roots(content_dirs(ctx)) + list(paths)
    course, problems = load_course(roots, include_builtin=not (only and paths))
    if not problems:
        from ztlab.labs.validate import lab_problems

        problems = lab_problems(course)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        files = len({p.file for p in problems})
        click.echo(f"\n{len(problems)} problem(s) in {files} file(s).")
        ctx.exit(EXIT_FAIL)
    checked = ", ".join(str(r) for r in course.roots)
    click.echo(f"Content is valid ({checked}).")
    click.echo(f"  {len(course.lessons)} lessons, {len(course.cards)} flashcards, {len(course.labs)} labs\n")
    click.echo(f"  {'principle':<24}{'lessons':>8}{'cards':>8}{'labs':>6}")
    for slug, counts in course.counts_by_principle().items():
        click.echo(f"  {slug:<24}{counts['lessons']:>8}{counts['cards']:>8}{counts['labs']:>6}")


@content.command()
@click.argument("kind", type=click.Choice(SCHEMA_KINDS))
def schema(kind: str) -> None:
    """Print the JSON Schema for lesson, flashcard-deck or lab files (for editor completion)."""
    from ztlab.content.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2))
