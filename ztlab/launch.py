"""The `ztlab` command's entry point. A bare `ztlab` opens the app straight away, without importing
click and the command modules first (that saves ~45 ms of the first paint); anything else goes to
the click CLI in `ztlab.cli.main`."""

from __future__ import annotations

import sys


def main() -> None:
    if len(sys.argv) == 1:
        try:
            from ztlab.tui.app import run_app
        except ImportError:  # installed without the app's dependencies: the CLI prints its help
            pass
        else:
            run_app()
            return
    from ztlab.cli.main import main as cli_main

    cli_main()
