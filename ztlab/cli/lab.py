"""`ztlab lab ...`: hands-on labs for learners, instructors and autograders."""

from __future__ import annotations

import json
import shlex
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import click

from ztlab.untrusted.text import safe_block
from ztlab.labs.remote import ServedContentProblems, ServedError
from ztlab.cli.common import (
    EXIT_FAIL, EXIT_OK, EXIT_USAGE, content_dirs, exit_with_content_problems, load_course_for_cli, workshop_for_cli, workshop_path,
)

FORMAT = click.Choice(["text", "json", "junit"])


@contextmanager
def lab_errors(ctx: click.Context):
    """Turn every expected failure into one readable line and an exit code, never a traceback."""
    try:
        yield
    except Exception as exc:
        code = _expected_exit(exc)
        if code is None:
            raise
        if isinstance(exc, ServedContentProblems):
            exit_with_content_problems(ctx, exc.problems)
        click.echo(f"ztlab: {exc}", err=True)
        ctx.exit(code)


def _expected_exit(exc: Exception) -> int | None:
    """The exit code of an expected failure, None for a bug. Imports the error types only when
    something failed: a passing `lab check` served by the sandbox never loads them."""
    if isinstance(exc, ServedError):
        return exc.exit_code
    if isinstance(exc, ServedContentProblems):
        return EXIT_FAIL
    from ztlab.labs.errors import USAGE_ERRORS, expected_errors

    if isinstance(exc, USAGE_ERRORS):
        return EXIT_USAGE
    if isinstance(exc, expected_errors()):
        return EXIT_FAIL
    return None


@click.group()
def lab() -> None:
    """Hands-on labs: fix an insecure emulated AWS account, then let ztlab grade it."""


@lab.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def list_labs(ctx: click.Context, fmt: str) -> None:
    """List the labs with their principles, difficulty and time (under a workshop: its labs, in its order)."""
    course = load_course_for_cli(ctx)
    labs = sorted(course.labs.values(), key=lambda l: l.id)
    loaded = workshop_for_cli(ctx, course)
    # Under a workshop, the minutes are its time boxes.
    minutes = {l.id: l.minutes for l in labs}
    if loaded is not None:
        labs = [course.labs[lab_id] for lab_id in loaded.workshop.lab_ids]
        minutes = {item.id: item.minutes for item in loaded.workshop.labs}
    if fmt == "json":
        click.echo(json.dumps([{
            "id": l.id, "title": l.title, "principles": l.principles, "difficulty": l.difficulty,
            "minutes": minutes[l.id], "objectives": len(l.objectives), "points": sum(o.points for o in l.objectives),
            "services": l.services,
        } for l in labs], indent=2))
        return
    for l in labs:
        click.echo(f"{l.id:<28} {l.difficulty:<13} {minutes[l.id]:>3} min  {l.title}")
    where = f" in the workshop '{loaded.title}'" if loaded is not None else ""
    click.echo(f"\n{len(labs)} labs{where}. `ztlab lab show LAB` for the briefing, `ztlab lab start LAB` to begin.")


@lab.command()
@click.argument("lab_id")
@click.pass_context
def show(ctx: click.Context, lab_id: str) -> None:
    """Print a lab's briefing and objectives."""
    from ztlab.labs.variants import personalise

    course = load_course_for_cli(ctx)
    spec = course.labs.get(lab_id)
    if spec is None:  # only now the lab runtime, for its readable "no lab ..." error
        from ztlab.labs.runtime import get_lab

        with lab_errors(ctx):
            get_lab(course, lab_id)
    spec = personalise(spec, _variant_seed(ctx, course))
    click.echo(f"{spec.title}  [{spec.id}]  {spec.difficulty}, about {spec.minutes} min")
    click.echo("principles: " + ", ".join(spec.principles) + "\n")
    click.echo(spec.briefing.rstrip() + "\n")
    click.echo("Objectives:")
    for objective in spec.objectives:
        tag = " (still works)" if objective.still_works else ""
        click.echo(f"  - {objective.id}: {objective.title} [{objective.points} pts]{tag}")


@lab.command()
@click.argument("lab_id")
@click.option("--trust-code", is_flag=True, help="Allow Python shipped with a lab from outside the built-in course.")
@click.option("--backend", type=click.Choice(["moto", "localstack"]), default=None, help="Default: your settings.")
@click.pass_context
def start(ctx: click.Context, lab_id: str, trust_code: bool, backend: str | None) -> None:
    """Set up a fresh account for LAB in the sandbox (starting the sandbox if needed)."""
    began = time.time()
    try:
        _start(ctx, lab_id, trust_code, backend)
    except KeyboardInterrupt:
        _interrupted_start(ctx, lab_id, began)


def _start(ctx: click.Context, lab_id: str, trust_code: bool, backend: str | None) -> None:
    served = None
    if backend is None and workshop_path(ctx) is None:  # a workshop's variants are picked here, in-process
        ctx.meta["ztlab.served_start"] = True
        served = _served_start(ctx, "start", lab_id, trust_code)
    if served is not None:
        run, uses_workspace, variant = served["run"], served["uses_workspace"], None
        click.echo(f"Lab '{run['lab_id']}' is set up in the {run['backend']} sandbox at {run['endpoint_url']}.")
    else:
        from ztlab.labs import runtime

        course = load_course_for_cli(ctx)
        variant = _variant_seed(ctx, course)
        with lab_errors(ctx):
            started = runtime.start(course, lab_id, trust_code=trust_code, backend=backend, variant_seed=variant)
        run = {"lab_id": started.lab_id, "names": started.names}
        from ztlab.labs.served import uses_workspace as lab_uses_workspace

        uses_workspace = lab_uses_workspace(course.labs[started.lab_id])
        click.echo(f"Lab '{started.lab_id}' is set up in the {started.backend} sandbox at {started.endpoint_url}.")
        _echo_variant(course, started.lab_id, variant)
    click.echo("In another terminal, point your tools at it:")
    click.echo("  eval \"$(ztlab sandbox env)\"      # or: ztlab sandbox shell")
    if uses_workspace and run["names"].get("workspace"):
        click.echo(f"Documents the lab asks you to write go in its workspace: {run['names']['workspace']}")
        click.echo(f"  export ZTLAB_WORKSPACE={shlex.quote(run['names']['workspace'])}")
    click.echo(f"Then fix the account with the aws CLI or boto3, and run: ztlab lab check {run['lab_id']}")


def _interrupted_start(ctx: click.Context, lab_id: str, began: float) -> None:
    """ctrl+c during `lab start`: say exactly what state the lab and the account are in."""
    from ztlab.labs.run_state import LabRun

    run = LabRun.load()
    if run is not None and run.lab_id == lab_id and run.started_at >= began:
        click.echo(f"\nInterrupted after the set-up had finished: lab '{lab_id}' is in progress "
                   "(`ztlab lab status`).", err=True)
    elif ctx.meta.get("ztlab.served_start"):
        # The warm sandbox process does the set-up: it may still finish after this one stops.
        click.echo(f"\nInterrupted before the set-up of '{lab_id}' was reported done; the sandbox may still finish "
                   f"it. `ztlab lab status` says which lab is in progress; `ztlab lab start {lab_id}` sets it up "
                   "from scratch.", err=True)
    else:
        if run is not None:
            # Set-up may have wiped the account of the lab that was in progress: it no longer is.
            LabRun.clear()
        ended = f" Lab '{run.lab_id}' is no longer in progress (its account may be wiped)." if run else ""
        click.echo(f"\nInterrupted: lab '{lab_id}' was not set up, and the sandbox account may be partly "
                   f"set up.{ended} `ztlab lab start {lab_id}` sets it up from scratch.", err=True)
    ctx.exit(130)


def _served_start(ctx: click.Context, op: str, lab_id: str | None, trust_code: bool) -> dict | None:
    """Start (or reset) the lab in the warm sandbox process, starting the sandbox first if none runs."""
    from ztlab.labs import remote

    request = {"lab_id": lab_id, "trust_code": trust_code}
    with lab_errors(ctx):
        served = remote.call(op, request, content_dirs(ctx))
        if served is None and op == "start" and not remote.sandbox_running():
            from ztlab.sandbox import ensure_running

            ensure_running()
            served = remote.call(op, request, content_dirs(ctx))
    return served


@lab.command()
@click.argument("lab_id", required=False)
@click.option("--format", "fmt", type=FORMAT, default="text")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.pass_context
def check(ctx: click.Context, lab_id: str | None, fmt: str, output: Path | None) -> None:
    """Grade the lab in progress. Exit 0 when every objective passes, 1 otherwise."""
    from ztlab.labs import remote
    from ztlab.labs.results import LabResult

    with lab_errors(ctx):
        served = remote.call("check", {"lab_id": lab_id}, content_dirs(ctx))
    if served is not None:
        result = LabResult.from_json(served["result"])
        cards_due_now, progress_problem = served["cards_due_now"], served["progress_problem"]
    else:
        from ztlab.labs.session import LabSession

        course = load_course_for_cli(ctx)
        with lab_errors(ctx), LabSession.current(course, lab_id) as session:
            result = session.check()
        cards_due_now, progress_problem = session.run.cards_due_now, session.run.progress_problem
    _emit(result, fmt, output)
    if fmt == "text" and output is None:
        if cards_due_now:
            click.echo(f"{cards_due_now} related flashcard(s) are due now: `ztlab review` brings them back.")
        if progress_problem:
            click.echo(f"Note: {progress_problem}", err=True)
    ctx.exit(EXIT_OK if result.passed else EXIT_FAIL)


@lab.command()
@click.argument("args", nargs=-1)
@click.pass_context
def hint(ctx: click.Context, args: tuple[str, ...]) -> None:
    """The next hint: `hint [LAB] [OBJECTIVE]` (default: the first failing objective)."""
    from ztlab.labs import remote
    from ztlab.labs.hints import HintStep

    if len(args) > 2:
        raise click.UsageError("hint takes at most LAB and OBJECTIVE")
    with lab_errors(ctx):
        served = remote.call("hint", {"args": list(args)}, content_dirs(ctx))
    if served is not None:
        step = HintStep.from_json(served["step"])
    else:
        from ztlab.labs.served import hint_args
        from ztlab.labs.session import LabSession

        course = load_course_for_cli(ctx)
        lab_id, objective = hint_args(course, args)
        with lab_errors(ctx), LabSession.current(course, lab_id) as session:
            step = session.hint(objective)
    # Everything passing is good news, not an error: exit 0.
    click.echo(step.describe())


@lab.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """The lab in progress: which one, since when, checks, best score, hints, and the sandbox."""
    from ztlab.labs.run_state import LabRun
    from ztlab.sandbox import current_sandbox

    run = LabRun.load()
    sandbox = current_sandbox()
    where = (f"The {sandbox.backend} sandbox is running at {sandbox.endpoint_url}." if sandbox
             else "The sandbox is not running.")
    if run is None:
        click.echo(f"No lab is in progress. {where}")
        click.echo("`ztlab lab list` shows the labs; `ztlab lab start LAB` sets one up.")
        return
    course = load_course_for_cli(ctx)
    spec = course.labs.get(run.lab_id)
    title = f" ({spec.title})" if spec else ""
    most = f"/{sum(o.points for o in spec.objectives)}" if spec else ""
    started = time.strftime("%H:%M", time.localtime(run.started_at))
    hints = sum(run.hints_used.values())
    click.echo(f"Lab in progress: {run.lab_id}{title}, since {started}.")
    click.echo(f"Checks: {run.checks}; best score {run.best_score}{most} pts; hints used: {hints}.")
    if sandbox is None or sandbox.endpoint_url != run.endpoint_url:
        click.echo(f"Its sandbox is no longer running: `ztlab lab start {run.lab_id}` sets the lab up again.")
    else:
        click.echo(where)
        click.echo("Next: `ztlab lab check` grades it, `ztlab lab hint` gives the next hint.")


@lab.command()
@click.argument("lab_id", required=False)
@click.option("--trust-code", is_flag=True)
@click.pass_context
def reset(ctx: click.Context, lab_id: str | None, trust_code: bool) -> None:
    """Throw away your changes and set the lab up again."""
    served = _served_start(ctx, "reset", lab_id, trust_code) if workshop_path(ctx) is None else None
    if served is not None:
        reset_id = served["run"]["lab_id"]
    else:
        from ztlab.labs import runtime

        course = load_course_for_cli(ctx)
        with lab_errors(ctx):
            reset_id = runtime.reset(course, lab_id, trust_code=trust_code, variant_seed=_variant_seed(ctx, course)).lab_id
    click.echo(f"Lab '{reset_id}' is back to its starting state.")


@lab.command()
@click.argument("lab_id", required=False)
@click.option("--trust-code", is_flag=True)
@click.pass_context
def solve(ctx: click.Context, lab_id: str | None, trust_code: bool) -> None:
    """Apply the reference solution (for instructors)."""
    from ztlab.labs.session import LabSession

    course = load_course_for_cli(ctx)
    with lab_errors(ctx), LabSession.current(course, lab_id) as session:
        session.solve(trust_code=trust_code)
    click.echo(f"Applied the reference solution of '{session.run.lab_id}'. `ztlab lab check` should now pass.")


@lab.command()
def stop() -> None:
    """End the lab in progress (the sandbox keeps running; `ztlab sandbox stop` stops it)."""
    from ztlab.labs import runtime

    lab_id = runtime.stop()
    click.echo(f"Lab '{lab_id}' ended." if lab_id else "No lab was in progress.")


@lab.command()
@click.argument("lab_id")
@click.option("--apply", "scripts", multiple=True, type=click.Path(path_type=Path),
              help="A learner's script (.sh with the aws CLI, .py with boto3). Repeatable; run in order.")
@click.option("--reference", is_flag=True, help="Apply the lab's reference solution instead.")
@click.option("--format", "fmt", type=FORMAT, default="text")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--trust-code", is_flag=True)
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds per script.")
@click.pass_context
def grade(ctx: click.Context, lab_id: str, scripts: tuple[Path, ...], reference: bool, fmt: str,
          output: Path | None, trust_code: bool, timeout: float) -> None:
    """Autograde: fresh sandbox, setup, apply scripts, check. Exit 0 only when every objective passes."""
    from ztlab.labs import autograde

    if not scripts and not reference:
        raise click.UsageError("give the learner's work with --apply PATH (repeatable) or use --reference")
    if not (0 < timeout <= 86_400):  # also refuses nan, which compares false with everything
        raise click.BadParameter(f"{timeout} is not a number of seconds between 0 and 86400 (one day)",
                                 param_hint="--timeout")
    course = load_course_for_cli(ctx)

    def report_script(run) -> None:
        status = "ok" if run.returncode == 0 else f"exit {run.returncode}"
        click.echo(f"ran {run.path.name}: {status}", err=True)
        if run.returncode != 0 and run.output.strip():
            click.echo("  " + safe_block(run.output.strip()).replace("\n", "\n  "), err=True)

    with lab_errors(ctx):
        result, _ = autograde.grade(course, lab_id, list(scripts), reference=reference, trust_code=trust_code,
                                    timeout=timeout, on_script=report_script)
    _emit(result, fmt, output)
    ctx.exit(EXIT_OK if result.passed else EXIT_FAIL)


def _variant_seed(ctx: click.Context, course) -> str | None:
    """Under a workshop with a variant seed, this learner's variant of each lab."""
    loaded = workshop_for_cli(ctx, course)
    if loaded is None:
        return None
    from ztlab.workshop import learner_name, variant_seed

    return variant_seed(loaded.workshop, learner_name())


def _echo_variant(course, lab_id: str, variant: str | None) -> None:
    from ztlab.labs.variants import pick_variant

    picked = pick_variant(course.labs[lab_id], variant) if variant else {}
    if picked:
        click.echo("Your variant of this lab: " + ", ".join(f"{k}={v}" for k, v in picked.items()))


def _emit(result, fmt: str, output: Path | None) -> None:
    from ztlab.reporters.lab_result import FORMATS

    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = FORMATS[fmt](result, color) if fmt == "text" else FORMATS[fmt](result)
    if output:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        click.echo(f"Wrote {output} (score {result.score}/{result.max_score}).", err=True)
    else:
        click.echo(text)
