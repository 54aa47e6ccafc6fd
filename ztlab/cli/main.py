"""The `ztlab` command. Sub-commands live in their own modules and are imported only when used,
so `ztlab` with no arguments reaches the app's first paint without paying for boto3 or moto."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from ztlab import __version__

# name -> "module:attribute". One line per command group; help lists them in this order.
COMMANDS: dict[str, str] = {
    "content": "ztlab.cli.content:content",
    "lab": "ztlab.cli.lab:lab",
    "sandbox": "ztlab.cli.sandbox:sandbox",
    "policy": "ztlab.cli.policy:policy",
    "audit": "ztlab.cli.audit:audit",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ztlab")
@click.option(
    "--content", "content_dirs", multiple=True, type=click.Path(path_type=Path),
    help="Add a content pack folder (lessons/, flashcards/, labs/). Repeatable; also ZTLAB_CONTENT.",
)
@click.pass_context
def cli(ctx: click.Context, content_dirs: tuple[Path, ...]) -> None:
    """ztlab: learn zero-trust security on AWS, then prove it in hands-on labs.

    Run `ztlab` with no command to open the app.
    """
    ctx.ensure_object(dict)
    ctx.obj["content_dirs"] = list(content_dirs)
    if ctx.invoked_subcommand is None:
        try:
            from ztlab.tui.app import run_app
        except ImportError:
            click.echo(ctx.get_help())
            return
        run_app(content_dirs=list(content_dirs))


def main() -> None:
    cli(prog_name="ztlab")
