"""Replay one lab of a bundle in a child process, under a time limit.

A bundle comes from a learner: its recording may hold a policy that takes the engine a long time, or
a million requests. Run in the regrading process, one such lab would stall the whole class's
regrade, and a thread cannot be stopped. So the replay runs in a worker process that keeps its
private moto server and boto3 clients between labs (starting them costs seconds), and is killed and
started again only when a lab overruns its limit.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_LAB_TIMEOUT = 120.0  # seconds per lab: setup, replay and grading; the slowest course lab takes ~10 s
WORKER_START_TIMEOUT = 120.0


@dataclass
class Replayed:
    """The replay's verdicts, points and what stopped it, if anything."""

    statuses: dict[str, str] | None = None
    score: int = 0
    max_score: int = 0
    passed: bool = False
    problems: list[str] = field(default_factory=list)


class ReplayTimeout(Exception):
    pass


class Replayer:
    """One worker process; `replay(entry)` returns a Replayed or raises ReplayTimeout."""

    def __init__(self, roots: list[Path], include_builtin: bool, *, trust_code: bool, lab_timeout: float):
        self._args = ([str(r) for r in roots], include_builtin, trust_code)
        self.lab_timeout = lab_timeout
        self._process = None
        self._conn = None

    def __enter__(self) -> "Replayer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads and locks
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, *self._args), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        if not parent.poll(WORKER_START_TIMEOUT):
            self.close()
            raise RuntimeError("the replay worker did not start")
        kind, detail = parent.recv()
        if kind != "ready":
            self.close()
            raise RuntimeError(f"the replay worker could not start: {detail}")

    def replay(self, entry: dict[str, Any], variant_seed: str | None) -> Replayed:
        if self._process is None or not self._process.is_alive():
            self._start()
        self._conn.send((entry, variant_seed))
        if not self._conn.poll(self.lab_timeout):
            self.close()  # the next lab gets a fresh worker
            raise ReplayTimeout(f"the replay was stopped after {self.lab_timeout:g} s (the per-lab time limit)")
        try:
            return self._conn.recv()
        except EOFError:
            self.close()
            return Replayed(problems=["cannot be replayed: the replay worker died"])

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(timeout=5)
            self._process = None


def _serve(conn, roots: list[str], include_builtin: bool, trust_code: bool) -> None:
    from ztlab.content import load_course
    from ztlab.sandbox.ephemeral import ephemeral_moto
    from ztlab.sandbox.loopback_guard import install_loopback_guard

    # Whatever a replayed recording makes the private server do stays on this machine.
    install_loopback_guard()
    try:
        course, _ = load_course([Path(r) for r in roots], include_builtin=include_builtin)
        server_context = ephemeral_moto()
        server = server_context.__enter__()
    except Exception as exc:  # reported to the parent, which says why the regrade cannot run
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    try:
        clients = server.clients()
        conn.send(("ready", None))
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            entry, variant_seed = message
            try:
                conn.send(_replay(entry, variant_seed, course, server, clients, trust_code))
            except Exception as exc:  # one broken bundle must not end the others' regrade
                conn.send(Replayed(problems=[f"cannot be replayed: ztlab failed ({type(exc).__name__}: {exc})"]))
    finally:
        server_context.__exit__(None, None, None)


class _ReusedClients:
    """The private server with one set of boto3 clients for every lab: making a client loads its
    service model, and a fresh set per lab cost seconds per bundle."""

    def __init__(self, server, clients):
        self._server = server
        self._clients = clients

    def clients(self):
        return self._clients

    def __getattr__(self, name: str):
        return getattr(self._server, name)


def _replay(entry: dict[str, Any], variant_seed: str | None, course, server, clients, trust_code: bool) -> Replayed:
    from ztlab.labs.errors import expected_errors
    from ztlab.labs.runtime import check_lab, setup_lab
    from ztlab.sandbox import recorder

    sandbox = _ReusedClients(server, clients)
    lab = course.labs[entry["lab"]]
    result = Replayed()
    try:
        sandbox.reset()
        recorder.seed(sandbox, entry["seed"])
        names = setup_lab(course, lab, sandbox, trust_code=trust_code, variant_seed=variant_seed)
        # The workspace is a folder on the learner's machine, not part of the account's setup.
        claimed_names = {k: v for k, v in (entry.get("names") or {}).items() if k != "workspace"}
        if entry.get("names") is not None and claimed_names != {k: v for k, v in names.items() if k != "workspace"}:
            result.problems.append("the lab's setup came out differently from the learner's (another version of the lab?)")
        # The in-process moto server prints notes (services it lacks) to stdout; keep it out of our output.
        with contextlib.redirect_stdout(io.StringIO()):
            outcome = recorder.replay(entry["recording"], sandbox.endpoint_url)
            if outcome.errors:
                result.problems.append("cannot be replayed: " + "; ".join(outcome.errors[:3]))
                return result
            graded = check_lab(lab, sandbox, names)
    except expected_errors() as exc:
        result.problems.append(f"cannot be replayed: {exc}")
        return result
    result.statuses = {o.id: o.status for o in graded.objectives}
    result.score, result.max_score, result.passed = graded.score, graded.max_score, graded.passed
    return result
