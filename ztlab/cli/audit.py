"""`ztlab audit`: judge an account (the running sandbox, an endpoint, or a saved snapshot) against
the zero-trust checks, and report as text, JSON, SARIF or JUnit XML.

Exit codes: 0 nothing failed, 1 something failed (or, with --strict, could not be judged),
2 bad usage (unknown check, unreadable snapshot, refused or unreachable endpoint).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ztlab.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from ztlab.principles import PRINCIPLES

SEVERITY_CHOICES = ("informational", "low", "medium", "high", "critical")
FORMAT_CHOICES = ("text", "json", "sarif", "junit")


def _fail_usage(message: str) -> None:
    click.echo(f"ztlab audit: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--endpoint-url", metavar="URL", help="Audit the account behind this loopback / LocalStack endpoint.")
@click.option("--snapshot", "snapshot_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Audit a saved snapshot (offline) instead of a live account.")
@click.option("--region", default=None, help="Region to read (default: the sandbox's, else us-east-1).")
@click.option("--principle", "principles", multiple=True, type=click.Choice(PRINCIPLES), help="Only checks of this principle (repeatable).")
@click.option("--severity", type=click.Choice(SEVERITY_CHOICES), help="Only checks of at least this severity.")
@click.option("--check", "check_ids", multiple=True, metavar="ID", help="Only this check (repeatable). See `ztlab audit checks`.")
@click.option("--scope", "scope", multiple=True, metavar="NAME|ARN",
              help="Only judge these resources (names, ids or ARNs; * wildcards allowed). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--save-snapshot", type=click.Path(path_type=Path), metavar="FILE", help="Also save the account snapshot as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="Text report: list passing resources and evidence pointers too.")
@click.option("--strict", is_flag=True, help="Exit 1 when a check could not judge something (UNKNOWN), not only on FAIL.")
@click.option("--list", "list_only", is_flag=True, help="List the checks (same as `ztlab audit checks`).")
@click.pass_context
def audit(ctx: click.Context, endpoint_url: str | None, snapshot_file: Path | None, region: str | None,
          principles: tuple[str, ...], severity: str | None, check_ids: tuple[str, ...], scope: tuple[str, ...],
          fmt: str, output: Path | None, save_snapshot: Path | None, verbose: bool, strict: bool, list_only: bool) -> None:
    """Audit an AWS account (sandbox) against the zero-trust checks."""
    if ctx.invoked_subcommand is not None:
        return
    if list_only:
        ctx.invoke(checks_command, principles=principles, severity=severity, fmt="json" if fmt == "json" else "text")
        return
    from ztlab.checks import UnknownCheck, run_checks, select_checks

    if endpoint_url and snapshot_file:
        _fail_usage("give either --endpoint-url or --snapshot, not both")
    try:
        selected = select_checks(ids=check_ids or None, principles=principles or None, min_severity=severity)
    except UnknownCheck as exc:
        _fail_usage(str(exc))
    if not selected:
        _fail_usage("no check matches these filters; list them with `ztlab audit checks`")

    snapshot = _load_snapshot(snapshot_file) if snapshot_file else _read_live(endpoint_url, region)
    if save_snapshot:
        snapshot.save(save_snapshot)
        click.echo(f"snapshot saved to {save_snapshot}", err=True)

    findings = run_checks(snapshot, selected, scope=list(scope) if scope else None)

    from ztlab.reporters import render
    from ztlab.reporters.style import colour_wanted

    color = fmt == "text" and output is None and colour_wanted()
    extra = {"endpoint_url": snapshot.endpoint_url, "taken_at": snapshot.taken_at,
             "unreadable": [{"what": w, "reason": r} for w, r in snapshot.unreadable()]}
    report = render(findings, fmt, account=snapshot.account_id, region=snapshot.region, color=color, verbose=verbose, extra=extra)
    if output:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            _fail_usage(f"cannot write {output}: {exc.strerror or exc}")
        click.echo(f"report written to {output}", err=True)
    else:
        click.echo(report, nl=False, color=color)
    failed = any(f.status == "FAIL" for f in findings) or (strict and any(f.status == "UNKNOWN" for f in findings))
    ctx.exit(EXIT_FAIL if failed else EXIT_OK)


def _load_snapshot(path: Path) -> Any:
    from ztlab.snapshot import AccountSnapshot, SnapshotError

    try:
        return AccountSnapshot.load(path)
    except SnapshotError as exc:
        _fail_usage(str(exc))


def _read_live(endpoint_url: str | None, region: str | None) -> Any:
    """Snapshot the sandbox at --endpoint-url, or the one `ztlab sandbox start` launched."""
    from ztlab.sandbox import SandboxError, connect

    try:
        info = connect(endpoint_url)
    except SandboxError as exc:
        _fail_usage(str(exc))
    clients = info.clients()
    _preflight(clients)
    from ztlab.snapshot import read_snapshot
    from ztlab.snapshot.sections import unavailable_sections

    missing = unavailable_sections(info.missing_services, f"the {info.backend} sandbox does not emulate it")
    return read_snapshot(clients, region=region or info.region, unavailable=missing)


def _preflight(clients: Any) -> None:
    """Fail fast (exit 2) when nothing answers at the endpoint, instead of a report full of UNKNOWN."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        clients.client("sts").get_caller_identity()
    except ClientError:
        return  # something answered: per-service errors are recorded in the snapshot
    except BotoCoreError as exc:
        _fail_usage(f"cannot reach the sandbox at {getattr(clients, 'endpoint_url', '?')}: {exc}. "
                    "Is it running? (`ztlab sandbox status`)")


@audit.command("checks")
@click.option("--principle", "principles", multiple=True, type=click.Choice(PRINCIPLES))
@click.option("--severity", type=click.Choice(SEVERITY_CHOICES))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
def checks_command(principles: tuple[str, ...], severity: str | None, fmt: str) -> None:
    """List the check catalogue: id, severity, principle, title, control ids."""
    from ztlab.checks import select_checks

    selected = select_checks(principles=principles or None, min_severity=severity)
    if fmt == "json":
        import json

        click.echo(json.dumps([c.metadata.model_dump() for c in selected], indent=2))
        return
    width = max(len(c.id) for c in selected) if selected else 10
    domain = None
    for c in selected:
        m = c.metadata
        if m.domain != domain:
            domain = m.domain
            click.echo(click.style(f"\n{domain}", bold=True))
        controls = ", ".join([f"FSBP {x}" for x in m.controls.fsbp] + [f"CIS {x}" for x in m.controls.cis])
        click.echo(f"  {m.id:<{width}}  {m.severity:<8}  {m.principle:<21}  {m.title}" + (f"  [{controls}]" if controls else ""))
    click.echo(f"\n{len(selected)} checks")
