"""`ztlab sandbox start|status|reset|stop|env|shell`: the emulated AWS account labs run against."""

from __future__ import annotations

import json
import os
import sys
import time

import click

from ztlab.cli.common import EXIT_FAIL, EXIT_USAGE


def _fail(ctx: click.Context, exc: Exception) -> None:
    """A sandbox problem as one readable message; refused endpoints are usage errors (exit 2)."""
    from ztlab.sandbox import EndpointRefused

    click.echo(f"ztlab sandbox: {exc}", err=True)
    ctx.exit(EXIT_USAGE if isinstance(exc, EndpointRefused) else EXIT_FAIL)


def _handled(ctx: click.Context):
    from ztlab.sandbox import SandboxError
    from ztlab.settings import SettingsError

    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if isinstance(exc, (SandboxError, SettingsError)):
                _fail(ctx, exc)
            return False

    return Guard()


def _describe(info) -> list[str]:
    from ztlab.sandbox import describe_missing

    lines = [f"ztlab sandbox: {info.backend} {info.backend_version or ''}".rstrip() + f" at {info.endpoint_url}"]
    lines.append(f"  account {info.account_id}, region {info.region}")
    if info.pid:
        uptime = time.time() - info.started_at if info.started_at else 0
        lines.append(f"  pid {info.pid}, up {_duration(uptime)}")
    else:
        lines.append("  started outside ztlab (ztlab will not stop it)")
    if info.idle_minutes:
        lines.append(f"  stops itself after {info.idle_minutes:g} min without requests")
    if info.missing_services:
        lines.append("  " + describe_missing(info.missing_services))
    if info.log_file:
        lines.append(f"  log: {info.log_file}")
    return lines


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


@click.group()
def sandbox() -> None:
    """Start, inspect, reset and stop the emulated AWS account (moto on 127.0.0.1 by default).

    Nothing here can reach real AWS: every client is pinned to the sandbox with fake keys.
    """


@sandbox.command()
@click.option("--backend", type=click.Choice(["moto", "localstack"]), help="Default: the `backend` setting (moto).")
@click.option("--idle-minutes", type=click.FloatRange(min=0.01), help="Stop after this long without requests (default: setting sandbox_idle_minutes).")
@click.option("--endpoint-url", help="LocalStack only: connect to this endpoint instead of resolving one.")
@click.option("--port", type=click.IntRange(1, 65535), help="Listen on this port (default: any free port).")
@click.option("--json", "as_json", is_flag=True, help="Print the sandbox as JSON.")
@click.pass_context
def start(ctx: click.Context, backend: str | None, idle_minutes: float | None, endpoint_url: str | None, port: int | None, as_json: bool) -> None:
    """Start the sandbox in the background (or reuse the running one)."""
    from ztlab.sandbox import current_sandbox, ensure_running

    if endpoint_url and backend == "moto":
        click.echo("ztlab sandbox: --endpoint-url is for --backend localstack", err=True)
        ctx.exit(EXIT_USAGE)
    with _handled(ctx):
        before = current_sandbox()
        chosen = backend or ("localstack" if endpoint_url else None)
        info = ensure_running(chosen, idle_minutes=idle_minutes, endpoint_url=endpoint_url, port=port)
    if as_json:
        click.echo(json.dumps(dict(info.to_dict(), reused=before is not None), indent=2))
        return
    if before is not None:
        click.echo("Already running; reusing it.")
    for line in _describe(info):
        click.echo(line)
    click.echo("Use it from your terminal: eval \"$(ztlab sandbox env)\"   or: ztlab sandbox shell")


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Show the running sandbox. Exit 0 when one runs, 1 when none does."""
    from ztlab.sandbox import current_sandbox

    with _handled(ctx):
        info = current_sandbox()
    if info is None:
        if as_json:
            click.echo(json.dumps({"running": False}))
        else:
            click.echo("No sandbox is running. Start one with: ztlab sandbox start")
        ctx.exit(EXIT_FAIL)
    if as_json:
        click.echo(json.dumps(info.to_dict(), indent=2))
    else:
        for line in _describe(info):
            click.echo(line)


@sandbox.command()
@click.pass_context
def reset(ctx: click.Context) -> None:
    """Empty the sandbox account (every resource in every region)."""
    from ztlab.sandbox import current_sandbox, reset_sandbox

    with _handled(ctx):
        info = current_sandbox()
        if info is None:
            click.echo("No sandbox is running; nothing to reset. Start one with: ztlab sandbox start", err=True)
            ctx.exit(EXIT_FAIL)
        started = time.perf_counter()
        info = reset_sandbox(info)
    click.echo(f"Sandbox reset ({info.backend} at {info.endpoint_url}) in {time.perf_counter() - started:.2f} s.")


@sandbox.command()
@click.pass_context
def stop(ctx: click.Context) -> None:
    """Stop the sandbox and forget it."""
    from ztlab.sandbox import stop_sandbox

    with _handled(ctx):
        outcome = stop_sandbox()
    click.echo({
        "stopped": "Sandbox stopped.",
        "killed": "Sandbox did not stop in time and was killed.",
        "forgotten": "Forgot the LocalStack that ztlab did not start (it keeps running).",
        "not-running": "No sandbox was running.",
    }[outcome])


@sandbox.command()
@click.option("--shell", "shell_name", type=click.Choice(["bash", "zsh", "fish", "powershell"]), help="Default: from $SHELL.")
@click.pass_context
def env(ctx: click.Context, shell_name: str | None) -> None:
    """Print shell exports that point the aws CLI and boto3 at the sandbox (starting it if needed).

    Use: eval "$(ztlab sandbox env)"
    """
    from ztlab.sandbox import ensure_running, learner_environment
    from ztlab.sandbox.shell_env import detect_shell, eval_hint, format_exports

    shell = shell_name or detect_shell()
    with _handled(ctx):
        info = ensure_running()
    click.echo(f"# ztlab sandbox ({info.backend}) at {info.endpoint_url}; load with: {eval_hint(shell)}")
    click.echo(format_exports(learner_environment(info.endpoint_url, info.region), shell))


@sandbox.command()
@click.pass_context
def shell(ctx: click.Context) -> None:
    """Open your shell with the sandbox variables set and a (ztlab-sandbox) prompt marker."""
    import subprocess
    import tempfile
    from pathlib import Path

    from ztlab.sandbox import ensure_running, learner_environment
    from ztlab.sandbox.shell_env import PROMPT_MARKER, apply_environment, detect_shell, subshell_command

    shell_path = os.environ.get("SHELL") or ("powershell.exe" if sys.platform == "win32" else "/bin/sh")
    kind = detect_shell(shell_path, exact=True)
    with _handled(ctx):
        info = ensure_running()
    variables = learner_environment(info.endpoint_url, info.region)
    click.echo(f"{PROMPT_MARKER} {info.backend} sandbox at {info.endpoint_url}. Leave with `exit`.", err=True)
    with tempfile.TemporaryDirectory(prefix="ztlab-shell-") as workdir:
        command, extra = subshell_command(shell_path, kind, variables, Path(workdir))
        environment = apply_environment(dict(os.environ), variables)
        environment.update(extra)
        try:
            code = subprocess.call(command, env=environment)
        except OSError as exc:
            click.echo(f"ztlab sandbox: cannot start your shell {shell_path!r}: {exc}. Set SHELL, or use: ztlab sandbox env", err=True)
            ctx.exit(EXIT_FAIL)
    click.echo("Left the sandbox shell (the sandbox keeps running; stop it with: ztlab sandbox stop).", err=True)
    if code not in (0, None):
        click.echo(f"(your shell exited with code {code})", err=True)
