"""`ztlab serve`: the app in a web browser (textual-serve), for learners without a good terminal.

Each browser tab gets its own `ztlab` process on this machine, with this machine's sandbox and
progress. It binds 127.0.0.1 by default. Whoever opens the page drives the app as you, so the page
needs a per-launch secret, like Jupyter's token: the URL printed at start carries `?token=...`;
the first visit trades it for a same-site cookie. The websocket that drives the app also checks
Origin, so another web page in the same browser (or one that rebinds its DNS name to 127.0.0.1)
cannot open it. To serve a room, put it behind a reverse proxy that authenticates (nginx, Caddy)
and pass the URL browsers use with --public-url; the page then opens its websocket at that address.

It works offline: the page links one web font from an outside host, which simply fails and falls
back to the browser's monospace font.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

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


TOKEN_PARAM = "token"
COOKIE = "ztlab_serve_token"


def allowed_origins(public_url: str, host: str, port: int) -> set[str]:
    """The page's own origin(s): the public URL's, and for a loopback listener both loopback spellings."""
    parts = urlsplit(public_url)
    origins = {f"{parts.scheme}://{parts.netloc}".lower()}
    if _is_loopback(host):
        origins |= {f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}"}
    return origins


def guard(token: str, origins: set[str]):
    """aiohttp middleware: the secret on everything but static files, and the page's own Origin on the websocket."""
    from aiohttp import web

    def holds_token(request) -> bool:
        given = request.query.get(TOKEN_PARAM) or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), token.encode())

    @web.middleware
    async def middleware(request, handler):
        if request.path.startswith("/static/"):
            return await handler(request)  # the page's own scripts and styles: nothing private
        if request.path == "/ws":
            origin = (request.headers.get("Origin") or "").lower()
            if origin and origin not in origins:
                raise web.HTTPForbidden(text=f"ztlab serve: refusing a websocket from {origin}: only this page may drive the app")
        if not holds_token(request):
            raise web.HTTPForbidden(text="ztlab serve: open the address printed by `ztlab serve` (it ends in ?token=...)")
        response = await handler(request)
        if request.query.get(TOKEN_PARAM):
            # The cookie lets the page's websocket (whose URL the page builds) carry the secret.
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    return middleware


def guarded_server(command: str, *, host: str, port: int, title: str, public_url: str | None, token: str):
    from textual_serve.server import Server

    class GuardedServer(Server):
        async def _make_app(self):
            app = await super()._make_app()
            app.middlewares.append(guard(token, allowed_origins(self.public_url, host, port)))
            return app

    return GuardedServer(command, host=host, port=port, title=title, public_url=public_url)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. Keep loopback behind a proxy.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--public-url", help="The address browsers use when a reverse proxy sits in front, e.g. https://class.example.org/ztlab")
@click.option("--title", default="ztlab", show_default=True, help="The browser tab's title.")
@click.option("--command", "command", help="Serve another command instead of ztlab (advanced; for testing a build).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, public_url: str | None, title: str, command: str | None) -> None:
    """Serve the ztlab app to web browsers (default http://127.0.0.1:8000). Ctrl+C stops it.

    Open the address it prints: it carries a secret made for this launch (?token=...), and
    without it the page is refused. Every tab runs its own ztlab, but all tabs share this
    machine's one progress store and one sandbox account: two tabs are one learner, not two.
    """
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        click.echo("ztlab: `ztlab serve` needs the textual-serve package: pip install textual-serve", err=True)
        ctx.exit(EXIT_USAGE)
    if not _is_loopback(host):
        click.echo(f"ztlab: warning: listening on {host}: anyone who can reach it can use this machine's ztlab, "
                   "its sandbox and its progress. Prefer 127.0.0.1 behind a reverse proxy that authenticates.", err=True)
    to_run = command or app_command(ctx)
    token = secrets.token_urlsafe(24)
    server = guarded_server(to_run, host=host, port=port, title=title, token=token,
                            public_url=public_url.rstrip("/") if public_url else None)
    click.echo(f"Serving ztlab at {server.public_url}/?{TOKEN_PARAM}={token}\n"
               f"(open that address; each tab runs: {to_run}; all tabs share one progress store and sandbox). "
               "Ctrl+C stops.", err=True)
    server.serve()
