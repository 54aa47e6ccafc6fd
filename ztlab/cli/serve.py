"""`ztlab serve`: the app in a web browser (textual-serve), for learners without a good terminal.

Each browser tab gets its own `ztlab` process on this machine, with this machine's sandbox and
progress. It binds 127.0.0.1 by default: anyone who can open the page drives the app as you. To
serve a room, put it behind a reverse proxy that authenticates (nginx, Caddy) and pass the URL
browsers use with --public-url; the page then opens its websocket at that address.

It works offline: the page links one web font from an outside host, which simply fails and falls
back to the browser's monospace font.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from pathlib import Path

import click

from ztlab.cli.common import EXIT_USAGE, content_dirs


def app_command(ctx: click.Context) -> str:
    """The shell command each browser tab runs: this Python's `ztlab`, with the same content and workshop."""
    parts = [sys.executable, "-m", "ztlab"]
    for folder in content_dirs(ctx):
        parts += ["--content", str(Path(folder).expanduser().resolve())]
    workshop = os.environ.get("ZTLAB_WORKSHOP")
    if workshop:
        parts += ["--workshop", workshop]
    return shlex.join(parts)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. Keep loopback behind a proxy.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", help="The address browsers use when a reverse proxy sits in front, e.g. https://class.example.org/ztlab")
@click.option("--title", default="ztlab", show_default=True, help="The browser tab's title.")
@click.option("--command", "command", help="Serve another command instead of ztlab (advanced; for testing a build).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, public_url: str | None, title: str, command: str | None) -> None:
    """Serve the ztlab app to web browsers (default http://127.0.0.1:8000). Ctrl+C stops it."""
    try:
        from textual_serve.server import Server
    except ImportError:
        click.echo("ztlab: `ztlab serve` needs the textual-serve package: pip install textual-serve", err=True)
        ctx.exit(EXIT_USAGE)
    if not _is_loopback(host):
        click.echo(f"ztlab: warning: listening on {host}: anyone who can reach it can use this machine's ztlab, "
                   "its sandbox and its progress. Prefer 127.0.0.1 behind a reverse proxy that authenticates.", err=True)
    to_run = command or app_command(ctx)
    server = Server(to_run, host=host, port=port, title=title, public_url=public_url.rstrip("/") if public_url else None)
    click.echo(f"Serving ztlab at {server.public_url} (each tab runs: {to_run}). Ctrl+C stops.", err=True)
    server.serve()
