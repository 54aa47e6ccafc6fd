"""`ztlab workshop init|show|join|submit|regrade|report`: running a class and trusting its results."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import click

from ztlab.untrusted.text import safe_line, safe_name
from ztlab.workshop.replayer import DEFAULT_LAB_TIMEOUT

from ztlab.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, load_course_for_cli, workshop_for_cli


@click.group()
def workshop() -> None:
    """Workshops: a class's path through lessons and labs, signed submissions, replayed regrades.

    Instructors: `ztlab workshop init class.yaml`, hand out the file, collect the learners'
    bundles, then `ztlab --workshop class.yaml workshop report DIR` and `... workshop regrade DIR/*.json`.
    """


@workshop.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), default="workshop.yaml")
@click.option("--title", default="Zero trust on AWS: hands-on afternoon", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
def init(ctx: click.Context, file: Path, title: str, force: bool) -> None:
    """Write a commented starter workshop file (with a fresh signing key)."""
    from ztlab.workshop import starter_text

    if file.exists() and not force:
        click.echo(f"ztlab: {file} already exists; pick another name or add --force to overwrite it.", err=True)
        ctx.exit(EXIT_USAGE)
    if '"' in title or "\\" in title:
        raise click.BadParameter("keep quotes and backslashes out of the title", param_hint="--title")
    from ztlab.locations import write_private

    write_private(file, starter_text(title))  # it holds the signing key: 0600, whatever the umask
    click.echo(f"Wrote {file}. Edit the items, then check it with: ztlab --workshop {file} workshop show")


@workshop.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def show(ctx: click.Context, fmt: str) -> None:
    """The workshop's path in order, with time boxes (and your progress in its labs)."""
    from ztlab.labs.evidence import LabEvidence

    course = load_course_for_cli(ctx)
    loaded = workshop_for_cli(ctx, course, required=True)
    evidence = LabEvidence.load_all()
    items = []
    for item in loaded.workshop.items:
        title = (course.labs[item.id] if item.lab else course.lessons[item.id]).title
        done = evidence.get(item.id)
        status = ""
        if item.lab and done is not None:
            claimed = done.claimed
            status = (f"{claimed['score']}/{claimed['max_score']} pts" if claimed else "started")
        items.append({"kind": item.kind, "id": item.id, "title": title, "minutes": item.minutes, "status": status})
    if fmt == "json":
        click.echo(json.dumps({"title": loaded.title, "file": str(loaded.path), "total_minutes": loaded.workshop.total_minutes,
                               "items": items, "decks": loaded.workshop.decks,
                               "variants": bool(loaded.workshop.variant_seed)}, indent=2))
        return
    click.echo(f"{loaded.title}  ({loaded.workshop.total_minutes} min)\n")
    clock = 0
    for number, item in enumerate(items, 1):
        clock += item["minutes"]
        status = f"  [{item['status']}]" if item["status"] else ""
        click.echo(f"{number:>2}. {item['kind']:<6} {item['id']:<32} {item['minutes']:>3} min  (ends at {clock // 60}:{clock % 60:02d})"
                   f"  {item['title']}{status}")
    if loaded.workshop.decks:
        click.echo("\nFlashcards to review: " + ", ".join(loaded.workshop.decks))
    if loaded.workshop.variant_seed:
        click.echo("Labs with variants give each learner their own names (from the workshop seed and your name).")


@workshop.command()
@click.argument("name")
def join(name: str) -> None:
    """Save your name for this machine: it goes into submissions and picks your lab variants."""
    from ztlab.workshop import save_learner_name

    if not name.strip():
        raise click.BadParameter("a name cannot be empty", param_hint="NAME")
    save_learner_name(name)
    click.echo(f"You are '{name.strip()}' in workshops on this machine. Start labs after joining, so they use your variant.")


@workshop.command()
@click.option("--name", help="Your name as the instructor knows you (default: `ztlab workshop join`, ZTLAB_LEARNER, login name).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Folder to write the bundle into (the class's shared folder, for instance).")
@click.option("--no-final-check", is_flag=True, help="Do not check the lab in progress once more before submitting.")
@click.pass_context
def submit(ctx: click.Context, name: str | None, output: Path, no_final_check: bool) -> None:
    """Write your signed submission: results per objective, hints, times and your recorded work."""
    from ztlab.labs.errors import expected_errors
    from ztlab.labs.evidence import LabEvidence
    from ztlab.labs.run_state import LabRun
    from ztlab.labs.session import LabSession
    from ztlab.workshop import BundleError, WorkshopError, build_bundle, learner_name, workshop_key, write_bundle

    course = load_course_for_cli(ctx)
    loaded = workshop_for_cli(ctx, course, required=True)
    try:
        key = workshop_key(loaded)
    except WorkshopError as exc:
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    run = LabRun.load()
    if run is not None and run.lab_id in loaded.workshop.lab_ids and not no_final_check:
        # The bundle should show the account as it is now, not as it was at the last check.
        try:
            with LabSession.current(course, run.lab_id) as session:
                result = session.check()
            click.echo(f"Checked '{run.lab_id}' once more: {result.score}/{result.max_score} points.")
        except expected_errors() as exc:
            click.echo(f"(no final check of '{run.lab_id}': {exc})", err=True)
    learner = learner_name(name)
    evidence = LabEvidence.load_all()
    bundle = build_bundle(loaded, learner, evidence, key)
    try:
        path = write_bundle(bundle, output)
    except (BundleError, OSError) as exc:
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_FAIL)
    click.echo(f"Wrote {path} for '{learner}'.")
    for entry in bundle["labs"]:
        claimed = entry.get("claimed")
        what = (f"{claimed['score']}/{claimed['max_score']} pts, {entry['state_changing_calls']} recorded changes"
                if claimed else "not started" if entry.get("not_started") else "never checked")
        click.echo(f"  {entry['lab']}: {what}")
    click.echo("Hand this file to your instructor (shared folder, LMS upload, ...).")


def _key_for(loaded) -> bytes | None:
    from ztlab.workshop import WorkshopError, workshop_key

    if loaded is None:
        return None
    try:
        return workshop_key(loaded)
    except WorkshopError as exc:
        click.echo(f"ztlab: {exc}; signatures are not checked.", err=True)
        return None


@workshop.command()
@click.argument("bundles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--trust-code", is_flag=True, help="Allow Python shipped with labs from outside the built-in course.")
@click.option("--lab-timeout", type=float, default=DEFAULT_LAB_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Stop one lab's replay after this long and flag it, so one bundle cannot stall the class.")
@click.pass_context
def regrade(ctx: click.Context, bundles: tuple[Path, ...], fmt: str, trust_code: bool, lab_timeout: float) -> None:
    """Verify, replay and grade again; recompute every score. Exit 1 when any bundle is flagged.

    BUNDLES are files or folders of them. Each lab's recorded requests are replayed into a fresh
    private sandbox with the same seed and setup, and its points are recomputed from the replay's
    verdicts and the lab's point table. A bundle is flagged when its signature is wrong, its claimed
    verdicts or points differ from the replay's, it cannot be replayed (or overruns --lab-timeout),
    it holds a lab twice, another bundle has the same learner or an identical recorded session, or
    its recording calls the emulator's control routes. `workshop report` shows the recomputed
    figures for every bundle regraded here (until the file changes).
    """
    if not (math.isfinite(lab_timeout) and lab_timeout > 0):
        raise click.BadParameter("give a number of seconds above 0", param_hint="--lab-timeout")
    from ztlab.workshop import regrade as run_regrade
    from ztlab.workshop.report import bundle_files
    from ztlab.sandbox.loopback_guard import install_loopback_guard

    # Bundles come from learners: whatever a replay makes the private server do stays on this machine.
    install_loopback_guard()

    course = load_course_for_cli(ctx)
    loaded = workshop_for_cli(ctx, course)
    key = _key_for(loaded)
    if loaded is None:
        click.echo("ztlab: no workshop given (--workshop FILE): signatures and variants are not checked.", err=True)
    paths = [p for given in bundles for p in (bundle_files(given) if given.exists() else [given])]
    if not paths:
        click.echo("ztlab: no bundles found in " + ", ".join(map(str, bundles)), err=True)
        ctx.exit(EXIT_USAGE)
    started = time.perf_counter()

    def show_one(verdict) -> None:
        if fmt != "text":
            return
        mark = "FLAGGED" if verdict.flagged else "ok"
        click.echo(f"{mark:<8} {safe_name(verdict.learner)}  ({safe_line(verdict.path)}, signature {verdict.signature})")
        for lab in verdict.labs:
            if lab.replayed is not None:
                passed = sum(1 for s in lab.replayed.values() if s == "PASS")
                click.echo(f"         {lab.lab}: replay passes {passed}/{len(lab.replayed)} objectives, "
                           f"{lab.score}/{lab.max_score} points")
        for reason in verdict.reasons():
            click.echo(f"         - {safe_line(reason)}")

    try:
        verdicts = run_regrade(paths, course, loaded, key, trust_code=trust_code, on_verdict=show_one,
                               lab_timeout=lab_timeout)
    except RuntimeError as exc:  # the replay worker could not start: nothing was regraded
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(EXIT_FAIL)
    flagged = [v for v in verdicts if v.flagged]
    if fmt == "json":
        click.echo(json.dumps({"bundles": [v.to_json() for v in verdicts], "flagged": len(flagged)}, indent=2))
    else:
        click.echo(f"\n{len(verdicts)} bundle(s) regraded in {time.perf_counter() - started:.1f} s; {len(flagged)} flagged.")
    ctx.exit(EXIT_FAIL if flagged else EXIT_OK)


@workshop.command()
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Write learners x objectives as CSV (LMS import).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), help="Write the whole report as JSON.")
@click.pass_context
def report(ctx: click.Context, folder: Path, csv_file: Path | None, json_file: Path | None) -> None:
    """The class at a glance: learners by objectives, pass rates, who looks stuck.

    Reads what the bundles in FOLDER claim (use `regrade` to prove it). Stuck means, on a lab not
    yet passed: over 1.5x its time box, 5+ failed checks, or 4+ hints.
    """
    from ztlab.workshop import load_report, render_text

    course = load_course_for_cli(ctx)
    loaded = workshop_for_cli(ctx, course)
    result = load_report(folder, workshop=loaded, key=_key_for(loaded), course=course)
    click.echo(render_text(result))
    if csv_file:
        csv_file.write_text(result.csv_text(), encoding="utf-8")
        click.echo(f"\nWrote {csv_file}")
    if json_file:
        json_file.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"{'' if csv_file else chr(10)}Wrote {json_file}")


@workshop.command()
def schema() -> None:
    """Print the JSON Schema of workshop files (for editor completion)."""
    from ztlab.workshop import Workshop

    document = Workshop.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    click.echo(json.dumps(document, indent=2))
