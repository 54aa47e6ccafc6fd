"""`ztlab policy who-can`, `can` and `escalations`: questions over the running sandbox's account
(or `--endpoint-url`, or a saved `--snapshot`), answered by the engine. Exit 0 with answers,
2 for bad usage (unknown principal, unreadable snapshot, no sandbox)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import click

from ztlab.cli.common import EXIT_OK, EXIT_USAGE


def account_options(command: Callable) -> Callable:
    for option in reversed([
        click.option("--snapshot", "snapshot_file", type=click.Path(path_type=Path), metavar="FILE",
                     help="Ask about a saved snapshot (`ztlab audit --save-snapshot`) instead of a live account."),
        click.option("--endpoint-url", metavar="URL", help="The sandbox endpoint (default: the running sandbox)."),
        click.option("--region", default=None, help="Region to read (default: the sandbox's, else us-east-1)."),
        click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True),
    ]):
        command = option(command)
    return command


def fail(message: str) -> None:
    click.echo(f"ztlab policy: {message}", err=True)
    raise SystemExit(EXIT_USAGE)


def read_account(snapshot_file: Path | None, endpoint_url: str | None, region: str | None) -> Any:
    """The snapshot to ask about: a file, or a fresh read of the sandbox."""
    from ztlab.snapshot import AccountSnapshot, SnapshotError

    if snapshot_file and endpoint_url:
        fail("give either --snapshot or --endpoint-url, not both")
    if snapshot_file:
        try:
            return AccountSnapshot.load(snapshot_file)
        except SnapshotError as exc:
            fail(str(exc))
    from botocore.exceptions import BotoCoreError

    from ztlab.sandbox import SandboxError, connect
    from ztlab.snapshot import read_snapshot
    from ztlab.snapshot.sections import unavailable_sections

    try:
        info = connect(endpoint_url)
        missing = unavailable_sections(info.missing_services, f"the {info.backend} sandbox does not emulate it")
        return read_snapshot(info.clients(), region=region or info.region, unavailable=missing)
    except SandboxError as exc:
        fail(str(exc))
    except BotoCoreError as exc:
        fail(f"cannot read the sandbox: {exc}")


def print_grants(title: str, grants: list, problems: list[str], output: str, extra: dict | None = None) -> None:
    if output == "json":
        click.echo(json.dumps({**(extra or {}), "grants": [g.as_dict() for g in grants], "problems": problems}, indent=2))
        return
    click.echo(title)
    if not grants:
        click.echo("  nobody / nothing: every request was denied")
    for g in grants:
        where = f" (e.g. {g.example})" if g.example else ""
        click.echo(f"  {g.principal} [{g.kind}]  {g.action}  {g.resource}{where}")
        for statement in g.statements:
            click.echo(f"      by {statement}")
        if g.conditions:
            click.echo("      only when " + ", ".join(f"{k}={v}" for k, v in g.conditions.items()))
        for text in g.condition_text:
            click.echo(f"      conditions: {text}")
    for problem in problems:
        click.echo(f"  could not judge: {problem}")


@click.command("who-can")
@click.argument("resource")
@click.option("--actions", "actions", multiple=True, metavar="ACTION",
              help="Actions to ask about (repeatable, or comma-separated); default: read, write and take-over "
                   "actions for the resource's kind.")
@account_options
def who_can_command(resource: str, actions: tuple[str, ...], snapshot_file: Path | None, endpoint_url: str | None,
                    region: str | None, output: str) -> None:
    """Every principal that can act on RESOURCE (an ARN, or a pattern like arn:aws:s3:::payroll/*):
    the account's users and roles, its root, other accounts, services and anonymous callers,
    with the statements that allow it and the conditions that must hold."""
    from ztlab.explore.who_can import ExploreError, who_can

    snapshot = read_account(snapshot_file, endpoint_url, region)
    wanted = [a.strip() for raw in actions for a in raw.split(",") if a.strip()]
    try:
        grants, problems = who_can(snapshot, resource, wanted)
    except ExploreError as exc:
        fail(str(exc))
    print_grants(f"who can act on {resource} (account {snapshot.account_id}):", grants, problems, output,
                 {"resource": resource, "account": snapshot.account_id})
    raise SystemExit(EXIT_OK)


@click.command("can")
@click.argument("principal")
@click.option("--actions", "actions", multiple=True, metavar="ACTION",
              help="Only these actions (repeatable, or comma-separated).")
@account_options
def can_command(principal: str, actions: tuple[str, ...], snapshot_file: Path | None, endpoint_url: str | None,
                region: str | None, output: str) -> None:
    """What PRINCIPAL (a user or role name or ARN) can do to the account's buckets, objects, keys,
    roles, users, secrets and topics, with the statements that allow it."""
    from ztlab.explore.who_can import ExploreError, can

    snapshot = read_account(snapshot_file, endpoint_url, region)
    wanted = [a.strip() for raw in actions for a in raw.split(",") if a.strip()]
    try:
        grants, problems = can(snapshot, principal, wanted)
    except ExploreError as exc:
        fail(str(exc))
    print_grants(f"what {principal} can do (account {snapshot.account_id}):", grants, problems, output,
                 {"principal": principal, "account": snapshot.account_id})
    raise SystemExit(EXIT_OK)


@click.command("escalations")
@click.argument("principal", required=False)
@account_options
def escalations_command(principal: str | None, snapshot_file: Path | None, endpoint_url: str | None,
                        region: str | None, output: str) -> None:
    """Privilege-escalation paths of PRINCIPAL (a user or role name or ARN; default: every user
    and role): principal -> steps -> administrator, each step allowed by the engine with the
    statements that allow it. Paths chain through the roles and users a principal can become
    (assume, pass to a compute service, take over), up to 3 moves. Exit 0 when none is found,
    1 when one is."""
    from ztlab.explore.escalation import escalations
    from ztlab.explore.who_can import ExploreError

    snapshot = read_account(snapshot_file, endpoint_url, region)
    try:
        paths = escalations(snapshot, principal)
    except ExploreError as exc:
        fail(str(exc))
    if output == "json":
        click.echo(json.dumps({"account": snapshot.account_id, "principal": principal,
                               "paths": [p.as_dict() for p in paths]}, indent=2))
    else:
        who = principal or "any user or role"
        click.echo(f"escalation paths of {who} (account {snapshot.account_id}):")
        if not paths:
            click.echo("  none found")
        for p in paths:
            hops = f"  ({p.moves} moves: {' -> '.join(p.chain)} -> administrator)" if p.moves > 1 else ""
            click.echo(f"  {p.principal}: {p.method} -> administrator via {p.target}{hops}")
            for step in p.steps:
                actor = f"as {step.actor}: " if step.actor != p.principal else ""
                click.echo(f"      {actor}{step.action} on {step.resource}  (by {'; '.join(step.statements)})")
    raise SystemExit(1 if paths else EXIT_OK)
