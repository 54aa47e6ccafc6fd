"""The caller's side of served.py: ask the warm sandbox process to run a lab command.

`call` returns None whenever the sandbox cannot serve it (none running, LocalStack, a server from
an older ztlab, another ZTLAB_HOME); the shell then runs the command in its own process, with the
same functions and the same messages. Both shells, the CLI and the app, go through here first.
This module stays light on purpose: a fresh `ztlab lab check` imports it, http.client and json only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROUTE = "/_ztlab/labs/"
# Setting a lab up can run the lab's own steps and code: allow minutes, as the in-process path does.
TIMEOUT_SECONDS = 600.0


class ServedError(Exception):
    """The command ran in the sandbox and failed the way the in-process path fails: message and exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class ServedContentProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} content problem(s)")
        self.problems = problems


def sandbox_running() -> bool:
    """Whether a sandbox state file exists (running or stale: the caller's next step finds out)."""
    from ztlab import locations as loc

    return loc.locations().sandbox_state_file.exists()


def call(op: str, request: dict[str, Any], content_dirs: list[Path] | tuple[Path, ...] = (), *,
         course: Any = None) -> dict | None:
    """The sandbox's answer to `op`, or None when the caller should run it itself. A caller that
    holds a loaded course (the app) passes it, so the sandbox grades against the same content."""
    from ztlab import locations as loc
    from ztlab.labs.served import home_marks
    from ztlab.sandbox.gate import control_headers
    from ztlab.sandbox.state import read_state

    state = read_state(loc.locations().sandbox_state_file)
    if state is None or state.backend != "moto" or not state.port:
        return None
    headers = control_headers(state.endpoint_url)
    if not headers:
        return None
    if course is not None:
        builtin = course.builtin_root is not None
        extra = list(course.roots[1:] if builtin else course.roots)
    else:
        builtin, extra = True, loc.extra_content_roots(list(content_dirs))
    roots = [str(Path(p).expanduser().resolve()) for p in extra]
    import http.client

    body = json.dumps({**request, "content_dirs": roots, "include_builtin": builtin, "home": home_marks()}).encode()
    connection = http.client.HTTPConnection("127.0.0.1", state.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", ROUTE + op, body=body,
                           headers={**headers, "Content-Type": "application/json", "Host": "127.0.0.1"})
        response = connection.getresponse()
        payload = response.read()
    except OSError:
        return None  # not running any more: the in-process path says so in its own words
    finally:
        connection.close()
    if response.status != 200:
        return None
    try:
        answer = json.loads(payload)
    except ValueError:
        return None
    if "content_problems" in answer:
        raise ServedContentProblems(answer["content_problems"])
    if "error" in answer:
        raise ServedError(answer["error"], int(answer.get("exit", 1)))
    return answer
