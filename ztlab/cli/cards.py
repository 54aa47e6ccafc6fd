"""`ztlab cards due | stats | export | import`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ztlab.cli.common import EXIT_FAIL, EXIT_USAGE, load_course_for_cli
from ztlab.cli.srs_common import filter_options, make_filter, open_store


@click.group()
def cards() -> None:
    """Flashcards: what is due, statistics, and a backup of all progress."""


@cards.command()
@filter_options
@click.pass_context
def due(ctx: click.Context, lesson: str | None, principle: str | None, tag: str | None) -> None:
    """List the cards to study now (learning, due reviews, new within today's limits)."""
    from ztlab.srs import build_queue, describe_interval
    from ztlab.srs.clock import utc_now

    course = load_course_for_cli(ctx)
    filters = make_filter(ctx, course, lesson, principle, tag)
    with open_store(ctx) as store:
        now = utc_now()
        queue = build_queue(store, course, now, filters=filters)
        counts = {kind: sum(item.kind == kind for item in queue) for kind in ("learning", "review", "new", "lab")}
        scope = f" ({filters.describe()})" if filters else ""
        labs = f", {counts['lab']} from labs" if counts["lab"] else ""
        click.echo(f"Due now{scope}: {counts['learning']} learning, {counts['review']} review, {counts['new']} new{labs}.")
        for item in queue:
            front = " ".join(item.card.front.split())
            soon = f" (in {describe_interval(item.due - now)})" if item.due and item.due > now and item.kind == "learning" else ""
            click.echo(f"  {item.kind:<9}{item.card_id:<32}{front[:60]}{soon}")
        if not queue:
            upcoming = [s.due for cid, s in store.card_states().items() if cid in course.cards and s.due and not s.suspended]
            if upcoming:
                click.echo(f"Next card due in {describe_interval(min(upcoming) - now)}.")
        else:
            click.echo("Study them with: ztlab review --plain")


@cards.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Due today, 30-day forecast, true retention, reviews per day, streak, mastery, leeches."""
    from ztlab.srs import stats as compute

    course = load_course_for_cli(ctx)
    with open_store(ctx) as store:
        result = compute(store, course)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    from ztlab.srs.stats import LAB_CARDS_RULE

    retention = result.describe_retention()
    click.echo(f"Cards: {result.describe_cards()}")
    click.echo(f"Today: {result.describe_today()}; answered today: {result.reviews_today}")
    if result.queue_now.get("lab"):
        click.echo(f"  ({LAB_CARDS_RULE})")
    click.echo(f"Due today, limits not applied: {result.due_today} (overdue {result.overdue})")
    click.echo(f"Next 7 days: {' '.join(str(n) for n in result.forecast_30d[:7])}   next 30 days: {sum(result.forecast_30d)}")
    click.echo(f"True retention (30 days): {retention}")
    click.echo(f"Reviews per day (30-day average): {result.average_reviews_per_day:.1f}; streak: {result.streak} day(s)")
    click.echo("\nMastery by principle (mean chance of recall now):")
    for m in result.mastery_by_principle:
        click.echo(f"  {m.id:<24}{m.mastery:>6.0%}  {m.seen}/{m.cards} studied")
    click.echo("Mastery by lesson:")
    for m in result.mastery_by_lesson:
        click.echo(f"  {m.id:<32}{m.mastery:>6.0%}  {m.seen}/{m.cards} studied")
    if result.leeches:
        click.echo(f"\nLeeches (failed 8+ times, suspended; rewrite or unsuspend): {', '.join(result.leeches)}")
    if result.orphaned:
        click.echo(f"\n{result.orphaned} card(s) with progress are no longer in the course; their history is kept.")


@cards.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export_cmd(ctx: click.Context, file: Path) -> None:
    """Write all progress (cards, review log, lessons, lab attempts) to a JSON backup FILE."""
    from ztlab.srs.backup import export_progress

    with open_store(ctx) as store:
        try:
            counts = export_progress(store, file)
        except OSError as exc:
            click.echo(f"ztlab: cannot write {file}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_FAIL)
    click.echo(f"Exported {counts['cards']} card state(s), {counts['reviews']} review(s), "
               f"{counts['lessons_done']} lesson(s) done, {counts['lab_attempts']} lab attempt(s) to {file}")


@cards.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_cmd(ctx: click.Context, file: Path) -> None:
    """Merge a backup made by `ztlab cards export` (running it twice changes nothing more)."""
    from ztlab.srs.backup import BackupError, import_progress

    if not file.exists():
        click.echo(f"ztlab: {file}: no such file.", err=True)
        ctx.exit(EXIT_USAGE)
    with open_store(ctx) as store:
        try:
            added = import_progress(store, file)
        except BackupError as exc:
            click.echo(f"ztlab: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
    click.echo(f"Imported {added['cards']} card state(s), {added['reviews']} review(s), {added['lessons_done']} lesson(s) done, "
               f"{added['lab_attempts']} lab attempt(s), {added['lab_events']} lab event(s) (already present: skipped).")
