"""Lab commands answered by the background sandbox process, so `ztlab lab check` costs a request.

A fresh `ztlab` process would pay ~2 s of CPU before grading anything: Python imports, the course,
boto3 clients and service models. The sandbox process has all of that warm already, so it serves
`/_ztlab/labs/<op>` (behind the sandbox gate: only callers with ztlab's token) and keeps the course
in memory, re-read only when a content file changes. remote.py is the caller's side.

Each route runs the very functions of runtime.py the in-process path runs; requests are served one
at a time, as a learner's commands in one terminal would be.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ztlab.locations import locations

OPS = ("check", "hint", "start", "reset")
_LOCK = threading.Lock()


def lab_routes() -> dict[str, Any]:
    """`labs/<op>` -> route, for the sandbox gate's add_route."""
    return {f"labs/{op}": (lambda environ, op=op: serve(op, _read_body(environ))) for op in OPS}


_MOTO_WARMED = threading.Event()
_MOTO_WARMED.set()  # until a warm-up starts


def warm_up_in_background(moto_warm_up) -> None:
    """moto's warm-up, then the lab machinery's, on one background thread. Lab requests wait for
    moto's: a reset racing moto's first EC2 set-up can fail with HTTP 500."""
    _MOTO_WARMED.clear()

    def run() -> None:
        try:
            moto_warm_up()
        finally:
            _MOTO_WARMED.set()
        warm_up()

    threading.Thread(target=run, daemon=True, name="ztlab-warm-up").start()


def warm_up() -> None:
    """Pay the lab machinery's imports and the built-in course in the background, right after the
    sandbox starts, so the learner's first `lab start` or `lab check` does not."""
    try:
        import ztlab.labs.runtime  # noqa: F401
        import ztlab.snapshot.reader  # noqa: F401
        from ztlab.labs.grading import grade_objective  # noqa: F401  (imports the graders on first use)
        import ztlab.labs.objectives.check  # noqa: F401
        import ztlab.labs.objectives.access  # noqa: F401
        import ztlab.labs.evidence  # noqa: F401
        import ztlab.labs.session  # noqa: F401  (with progress and evidence)
        import ztlab.srs  # noqa: F401  (a check records the attempt and brings cards back)

        with _LOCK:
            _course([], True)
        from ztlab.sandbox import current_sandbox

        sandbox = current_sandbox()
        if sandbox is not None:  # the clients a lab's snapshot reads most (each model load is ~0.1 s)
            for service in ("sts", "iam", "s3", "kms", "organizations", "ec2"):
                sandbox.clients().client(service)
    except Exception:  # an optimisation only; the first request reports any real problem
        pass


def home_marks() -> dict[str, str]:
    """Where this process keeps the lab run and progress: a caller with other places runs in-process."""
    where = locations()
    return {"lab_run": str(where.lab_run_file), "progress": str(where.progress_db)}


def _read_body(environ: dict) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if not 0 < length <= 1_000_000:
        return {}
    try:
        body = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def serve(op: str, request: dict) -> tuple[int, dict]:
    """(HTTP status, answer). 409 asks the caller to run the command itself."""
    if request.get("home") != home_marks():
        return 409, {"error": "this sandbox keeps lab state elsewhere (another ZTLAB_HOME)"}
    from ztlab.content import ContentError
    from ztlab.labs.code import UntrustedCode
    from ztlab.labs.runtime import LabError
    from ztlab.labs.steps import StepError
    from ztlab.sandbox import SandboxError

    _MOTO_WARMED.wait(timeout=120)
    with _LOCK:
        try:
            course = _course([Path(p) for p in request.get("content_dirs") or []], request.get("include_builtin", True) is not False)
            return 200, _HANDLERS[op](course, request)
        except ContentError as exc:
            return 200, {"content_problems": [str(p) for p in exc.problems]}
        except (LabError, UntrustedCode) as exc:
            return 200, {"error": str(exc), "exit": 2}
        except (StepError, SandboxError) as exc:
            return 200, {"error": str(exc), "exit": 1}


def _course(extra_roots: list[Path], include_builtin: bool):
    """The course for these packs; kept in memory while no content file changes (content/cache.py)."""
    from ztlab.content import ContentError
    from ztlab.content.cache import load_course_cached

    # The caller resolved its own ZTLAB_CONTENT and --content folders; this process's do not count.
    course, problems = load_course_cached(extra_roots, include_builtin=include_builtin)
    if problems:
        raise ContentError(problems)
    return course


def _check(course, request: dict) -> dict:
    from ztlab.labs.session import LabSession

    with LabSession.current(course, request.get("lab_id")) as session:
        result = session.check()
    return {"result": result.to_json(), "cards_due_now": session.run.cards_due_now,
            "progress_problem": session.run.progress_problem}


def hint_args(course, args) -> tuple[str | None, str | None]:
    """`lab hint [LAB] [OBJECTIVE]` -> (lab id, objective id): a first word naming a lab is the lab."""
    args = [str(a) for a in args][:2]
    lab_id = args[0] if args and args[0] in course.labs else None
    rest = args[1:] if lab_id else args
    return lab_id, (rest[0] if rest else None)


def _hint(course, request: dict) -> dict:
    from ztlab.labs.session import LabSession

    if "args" in request:  # the CLI's words, read the way the in-process path reads them
        lab_id, objective = hint_args(course, request["args"] or [])
    else:
        lab_id, objective = request.get("lab_id"), request.get("objective")
    with LabSession.current(course, lab_id) as session:
        return {"step": session.hint(objective).to_json()}


def uses_workspace(lab) -> bool:
    """Whether the lab asks the learner to write documents (session policies) in its workspace."""
    return any((o.access or o.exact) is not None and (o.access or o.exact).session_policy for o in lab.objectives)


def _started(course, run) -> dict:
    return {"run": asdict(run), "uses_workspace": uses_workspace(course.labs[run.lab_id])}


def _start(course, request: dict) -> dict:
    from ztlab.labs import runtime

    run = runtime.start(course, request["lab_id"], trust_code=bool(request.get("trust_code")))
    _prepare_first_check(course.labs[run.lab_id])
    return _started(course, run)


def _reset(course, request: dict) -> dict:
    from ztlab.labs import runtime

    run = runtime.reset(course, request.get("lab_id"), trust_code=bool(request.get("trust_code")))
    _prepare_first_check(course.labs[run.lab_id])
    return _started(course, run)


def _prepare_first_check(lab) -> None:
    """Set up, in the background, what a lab's first check would otherwise set up on the learner's
    time: moto's routing for the services it reads and the check catalogue. It starts once this
    request is answered (the learner is reading the briefing then), so it never adds to a wait."""
    from ztlab.labs.runtime import snapshot_sections
    from ztlab.snapshot.sections import services_of
    from ztlab.snapshot.services import READERS

    services = services_of(snapshot_sections(lab) or READERS)

    def prepare() -> None:
        from ztlab.checks.registry import all_checks
        from ztlab.sandbox.moto_routing import prepare_routing

        try:
            prepare_routing(services)
            all_checks()
        except Exception:  # noqa: BLE001 - an optimisation only; the check itself reports real problems
            pass

    timer = threading.Timer(0.3, prepare)
    timer.daemon, timer.name = True, "ztlab-prepare-first-check"
    timer.start()


_HANDLERS = {"check": _check, "hint": _hint, "start": _start, "reset": _reset}
