"""The background moto server: `python -m ztlab.sandbox.moto_server_main --state-file ...`, token on stdin.

Started detached by `ztlab sandbox start` (see moto_backend.py). It binds 127.0.0.1 (port 0 means
"any free port", so a busy port is never a problem), writes the state file once it answers, logs
to a file instead of the terminal, and stops itself after `--idle-seconds` without a request.
SIGTERM stops it cleanly and removes its state file. Its token arrives as the first line on stdin,
never in argv (any local user can read a command line with `ps`); gate.py says what it guards.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from ztlab.sandbox.moto_backend import EXIT_PORT_BUSY


def _watch_idle(tracker, server, idle_seconds: float, log: logging.Logger) -> None:
    step = max(0.05, min(idle_seconds / 10, 5.0))
    while True:
        time.sleep(step)
        if time.monotonic() - tracker.last_request >= idle_seconds:
            log.info("no request for %.0f s: stopping (idle limit)", idle_seconds)
            server.shutdown()
            return


# The first call to a service in a fresh moto costs its imports and first backend; after a reset
# it costs a fraction of that. The services every lab uses are warmed right after start-up, and a
# `lab start` waits for them (its seeded set-up must not interleave with the warm-up's requests).
WARM_UP_CALLS = (
    ("iam", "Action=ListUsers&Version=2010-05-08"),
    ("sts", "Action=GetCallerIdentity&Version=2011-06-15"),
    ("s3", None),
)
# EC2's modules alone are ~0.65 s of CPU, which a lab without EC2 should not wait for: they are
# imported once the sandbox has been idle for a moment (after the first `lab start`, while the
# learner reads the briefing). Importing makes no request and draws no random id, so it can run
# after a lab has started without touching the recording a regrade replays.
LATER_MODULES = ("moto.ec2.models", "moto.ec2.responses", "moto.ec2.urls")
IDLE_BEFORE_LATER_IMPORTS = 0.5


def _warm_up(app, region: str, log: logging.Logger) -> None:
    from werkzeug.test import Client

    client = Client(app)
    started = time.monotonic()
    for service, body in WARM_UP_CALLS:
        auth = (
            f"AWS4-HMAC-SHA256 Credential=AKIAZTLABSANDBOX0000/20240101/{region}/{service}/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
        headers = {"Authorization": auth, "Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded"}
        try:
            client.open("/", method="GET" if body is None else "POST", data=body or "", headers=headers)
        except Exception as exc:  # warming is an optimisation; never let it take the server down
            log.warning("warm-up call to %s failed: %s", service, exc)
    log.info("warm-up done in %.1f s", time.monotonic() - started)


def _import_when_idle(tracker, log: logging.Logger) -> None:
    while time.monotonic() - tracker.last_request < IDLE_BEFORE_LATER_IMPORTS:
        time.sleep(0.1)
    started = time.monotonic()
    with tracker.moto_setup:
        try:
            for name in LATER_MODULES:
                importlib.import_module(name)
            from moto.core.utils import get_service_model

            get_service_model("ec2")
        except Exception as exc:  # an optimisation; the first EC2 request pays for it instead
            log.warning("importing EC2 ahead of use failed: %s", exc)
            return
    log.info("EC2 imported ahead of use in %.1f s", time.monotonic() - started)


def _configure_logging(log_file: Path | None) -> logging.Logger:
    handler: logging.Handler
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    # werkzeug logs one line per request; moto is chatty too. Keep only problems.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    log = logging.getLogger("ztlab.sandbox")
    log.setLevel(logging.INFO)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ztlab.sandbox.moto_server_main")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state-file", type=Path, required=True)
    parser.add_argument("--idle-seconds", type=float, default=7200.0)
    parser.add_argument("--log-file", type=Path)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--account-id", default="123456789012")
    parser.add_argument("--no-warm-up", action="store_true", help="Skip loading EC2/IAM/S3 in the background.")
    args = parser.parse_args(argv)
    token = sys.stdin.readline().strip()
    if len(token) < 16:
        print("ztlab sandbox: expected the server's token as the first line on stdin", file=sys.stderr)
        return 2

    from ztlab.sandbox.loopback_guard import install_loopback_guard

    install_loopback_guard()
    # Everything this server writes (its log, moto's request recording) is the learner's alone.
    os.umask(0o077)
    log = _configure_logging(args.log_file)

    def stop_on_signal(signum, frame):
        raise SystemExit(0)

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop_on_signal)

    # moto's request recorder (workshop submissions) writes here; set before moto is imported.
    os.environ.setdefault("MOTO_RECORDER_FILEPATH", str(args.state_file.with_name("moto-recording.jsonl")))
    import moto

    from ztlab import __version__
    from ztlab.sandbox.process import process_started
    from ztlab.sandbox.state import SandboxState, remove_state, write_state

    from ztlab.sandbox.moto_app import make_moto_server

    identity = {"backend": "moto", "pid": os.getpid(), "moto_version": moto.__version__}
    try:
        server, tracker = make_moto_server(args.port, token, identity)
    except (OSError, SystemExit) as exc:  # werkzeug exits (after printing) when the port is taken
        log.error("cannot listen on 127.0.0.1:%s: %s", args.port, exc)
        print(f"ztlab sandbox: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr)
        return EXIT_PORT_BUSY
    from ztlab.labs.served import lab_routes, warm_up_in_background

    for name, route in lab_routes().items():  # `ztlab lab check` & co. run here, warm (labs/served.py)
        tracker.add_route(name, route)
    port = server.server_port
    endpoint = f"http://127.0.0.1:{port}"
    state = SandboxState(
        backend="moto",
        endpoint_url=endpoint,
        region=args.region,
        account_id=args.account_id,
        pid=os.getpid(),
        process_started=process_started(os.getpid()),
        port=port,
        started_at=time.time(),
        ztlab_version=__version__,
        backend_version=moto.__version__,
        token=token,
        idle_minutes=args.idle_seconds / 60,
        log_file=str(args.log_file) if args.log_file else None,
    )
    # The socket is listening (requests queue until serve_forever), so the state file may appear now.
    write_state(args.state_file, state)
    log.info("moto %s sandbox listening on %s (pid %s, idle limit %.0f s)", moto.__version__, endpoint, os.getpid(), args.idle_seconds)
    threading.Thread(target=_watch_idle, args=(tracker, server, args.idle_seconds, log), daemon=True).start()
    if not args.no_warm_up:
        # Straight to moto's app, not through the tracker: warming is not a learner's activity.
        tracker.moto_setup.acquire()

        def warm() -> None:
            try:
                _warm_up(tracker.app, args.region, log)
            finally:
                tracker.moto_setup.release()
            threading.Thread(target=_import_when_idle, args=(tracker, log), daemon=True, name="ztlab-ec2-import").start()

        warm_up_in_background(warm)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        remove_state(args.state_file, only_token=token)
        log.info("sandbox on %s stopped", endpoint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
