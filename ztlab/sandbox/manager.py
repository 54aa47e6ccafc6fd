"""The sandbox API the rest of ztlab uses: start (or reuse), find, reset, stop, connect.

    info = ensure_running()          # the running sandbox, started if needed (settings pick the back end)
    info = current_sandbox()         # the running, healthy sandbox, or None
    clients = info.clients()         # boto3 clients pinned to it
    reset_sandbox(info); stop_sandbox()
    info = connect("http://127.0.0.1:4566")   # an endpoint given with --endpoint-url

A state file (see state.py) lets the sandbox outlive the CLI call that started it. Whatever it
says is verified before use: a dead process, a port that no longer answers, or a pid reused by
another program all make it stale, and a stale file is removed (never a process we cannot prove
is ours).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from ztlab import __version__
from ztlab.locations import locations
from ztlab.sandbox.localstack_backend import (
    connect_localstack,
    describe_missing,
    localstack_health,
    resolve_localstack_endpoint,
)
from ztlab.sandbox.gate import HEALTH_PATH as MOTO_HEALTH_PATH
from ztlab.sandbox.moto_backend import launch_moto, moto_health, reset_moto
from ztlab.sandbox.http import probe_json
from ztlab.sandbox.process import process_started, same_process, terminate
from ztlab.sandbox.session import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    SandboxClients,
    SandboxError,
    allowed_extra_hosts,
    check_endpoint,
)
from ztlab.sandbox.state import Backend, SandboxState, read_state, remove_state, write_state

STOP_TIMEOUT = {"moto": 5.0, "localstack": 10.0}
LOCALSTACK_ACCOUNT_ID = "000000000000"


_CLIENTS: dict[tuple, SandboxClients] = {}
_CLIENTS_LOCK = threading.Lock()


@dataclass(frozen=True)
class SandboxInfo:
    backend: Backend
    endpoint_url: str
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    pid: int | None = None
    port: int | None = None
    started_at: float | None = None
    backend_version: str | None = None
    idle_minutes: float | None = None
    log_file: str | None = None
    missing_services: frozenset[str] = field(default_factory=frozenset)
    # The state file describing this sandbox (None for an endpoint given with --endpoint-url).
    state_file: Path | None = None
    # Allowed non-loopback host, when the user configured one on purpose for LocalStack.
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    # ztlab's key to the server's control routes (moto launched by ztlab); never printed.
    token: str | None = field(default=None, repr=False)

    @property
    def launched_by_ztlab(self) -> bool:
        return self.pid is not None

    def clients(self) -> SandboxClients:
        # One set of clients per endpoint for the whole process: making a botocore client costs
        # tens of milliseconds of pure Python per service, which a long-running app (checking a lab
        # again and again in a worker thread) would otherwise pay on every check while its
        # interface thread waits for the GIL. boto3 clients are safe to share between threads.
        key = (self.endpoint_url, self.region, frozenset(set(self.allowed_hosts) | allowed_extra_hosts()))
        with _CLIENTS_LOCK:
            if key not in _CLIENTS:
                _CLIENTS[key] = SandboxClients(self.endpoint_url, self.region, extra_hosts=set(key[2]))
            return _CLIENTS[key]

    def to_dict(self) -> dict:
        return {
            "running": True,
            "backend": self.backend,
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "account_id": self.account_id,
            "pid": self.pid,
            "port": self.port,
            "started_at": self.started_at,
            "uptime_seconds": round(time.time() - self.started_at, 1) if self.started_at else None,
            "backend_version": self.backend_version,
            "idle_minutes": self.idle_minutes,
            "launched_by_ztlab": self.launched_by_ztlab,
            "missing_services": sorted(self.missing_services),
            "log_file": self.log_file,
        }


def _settings():
    from ztlab.settings import load_settings

    return load_settings()


def configured_hosts(configured_endpoint: str | None) -> frozenset[str]:
    """Non-loopback hosts the user allowed on purpose: ZTLAB_ALLOWED_HOSTS and the host of the
    LocalStack endpoint written in ztlab's own settings."""
    from urllib.parse import urlparse

    hosts = set(allowed_extra_hosts())
    if configured_endpoint:
        from ztlab.sandbox.hosts import canonical_hosts

        host = urlparse(configured_endpoint).hostname
        if host:
            hosts |= canonical_hosts([host])
    return frozenset(hosts)


def _info_from_state(state: SandboxState, state_file: Path, missing: frozenset[str] = frozenset(), allowed: frozenset[str] = frozenset()) -> SandboxInfo:
    return SandboxInfo(
        backend=state.backend,
        endpoint_url=state.endpoint_url,
        region=state.region,
        account_id=state.account_id,
        pid=state.pid,
        port=state.port,
        started_at=state.started_at,
        backend_version=state.backend_version,
        idle_minutes=state.idle_minutes,
        log_file=state.log_file,
        missing_services=missing,
        state_file=state_file,
        allowed_hosts=allowed,
        token=state.token,
    )


@contextlib.contextmanager
def _state_lock(state_file: Path) -> Iterator[None]:
    """Two `ztlab sandbox start` at once must end with one sandbox, not two."""
    state_file.parent.mkdir(parents=True, exist_ok=True)
    lock_path = state_file.with_suffix(".lock")
    with open(lock_path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock, last writer wins
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _verify(state: SandboxState, state_file: Path) -> SandboxInfo | None:
    """The sandbox the state describes, if it is really there and answering; else None.
    The endpoint is checked against the loopback rule before it is probed: an edited state file
    cannot make ztlab send even a health check off the machine."""
    allowed = _allowed_for(state.endpoint_url)
    if allowed is None:
        return None
    if state.backend == "moto":
        if moto_health(state) is None:
            return None
        return _info_from_state(state, state_file)
    if state.pid is not None and not same_process(state.pid, state.process_started):
        return None
    health = localstack_health(state.endpoint_url)
    if health is None:
        return None
    return _info_from_state(state, state_file, health.missing_services, allowed)


def _allowed_for(url: str) -> frozenset[str] | None:
    """The allowed extra hosts under which `url` passes the endpoint check, or None if it fails.
    Settings are read only for a non-loopback URL (the common case stays cheap)."""
    if _endpoint_allowed(url, frozenset()):
        return frozenset(allowed_extra_hosts())
    settings_endpoint = None
    with contextlib.suppress(Exception):
        settings_endpoint = _settings().localstack_endpoint
    allowed = configured_hosts(settings_endpoint)
    return allowed if _endpoint_allowed(url, allowed) else None


def _ours(state: SandboxState) -> bool:
    """Is the state's pid provably the server we launched? Same start time, or (moto) the live
    server answers with our token and that pid."""
    if same_process(state.pid, state.process_started):
        return True
    if state.backend == "moto" and _allowed_for(state.endpoint_url) is not None:
        health = moto_health(state)
        return bool(health and health.get("pid") == state.pid)
    return False


def _clean_stale(state: SandboxState, state_file: Path) -> None:
    """Forget a sandbox that no longer answers. Only a process proven to be the one we launched
    (same pid AND same start time) is stopped; a pid reused by another program is left alone."""
    if state.pid is not None and _ours(state):
        terminate(state.pid, timeout=STOP_TIMEOUT[state.backend])
    remove_state(state_file, only_pid=state.pid) if state.pid is not None else remove_state(state_file)


def current_sandbox(state_file: Path | None = None) -> SandboxInfo | None:
    """The running, healthy sandbox, or None. A stale state file is cleaned on the way."""
    state_file = state_file or locations().sandbox_state_file
    state = read_state(state_file)
    if state is None:
        if state_file.exists():
            state_file.unlink(missing_ok=True)  # unreadable: nothing worth keeping
        return None
    info = _verify(state, state_file)
    if info is None:
        _clean_stale(state, state_file)
    return info


def ensure_running(
    backend: Backend | None = None,
    *,
    idle_minutes: float | None = None,
    endpoint_url: str | None = None,
    port: int | None = None,
) -> SandboxInfo:
    """The running sandbox, started first if needed. `backend=None` reuses whatever runs, else
    starts the back end the settings choose."""
    state_file = locations().sandbox_state_file
    with _state_lock(state_file):
        running = current_sandbox(state_file)
        if running is not None:
            wanted_url = endpoint_url.rstrip("/") if endpoint_url else None
            if (backend is None or running.backend == backend) and wanted_url in (None, running.endpoint_url.rstrip("/")):
                return running
            raise SandboxError(
                f"a {running.backend} sandbox is already running at {running.endpoint_url}; "
                "stop it first with: ztlab sandbox stop"
            )
        settings = _settings()
        chosen = backend or settings.backend
        if chosen == "moto":
            return _start_moto(state_file, idle_minutes if idle_minutes is not None else settings.sandbox_idle_minutes, port)
        return _start_localstack(state_file, endpoint_url or None, settings.localstack_endpoint, port)


def _start_moto(state_file: Path, idle_minutes: float, port: int | None) -> SandboxInfo:
    log_file = locations().log_dir / "sandbox-moto.log"
    state = launch_moto(state_file, log_file, idle_seconds=max(idle_minutes, 0.001) * 60, region=DEFAULT_REGION, port=port or 0)
    return _info_from_state(state, state_file)


def _start_localstack(state_file: Path, explicit: str | None, configured: str | None, port: int | None) -> SandboxInfo:
    """Connect to the LocalStack the user pointed at; with nothing configured, use one answering at
    localhost:4566, else launch the host-mode runtime from its own venv on a free port (`port`
    asks for a launch on that port)."""
    from ztlab.sandbox.localstack_runtime import runtime_installed

    endpoint = resolve_localstack_endpoint(explicit, configured)
    allowed = configured_hosts(configured)
    if endpoint.explicit or port is None:
        health = localstack_health(endpoint.url) if _endpoint_allowed(endpoint.url, allowed) else None
        if health is None and (endpoint.explicit or not runtime_installed(locations().localstack_venv)):
            connect_localstack(endpoint, set(allowed))  # raises the clear message
        if health is not None:
            state = SandboxState(
                backend="localstack", endpoint_url=endpoint.url, region=DEFAULT_REGION, account_id=LOCALSTACK_ACCOUNT_ID,
                started_at=time.time(), ztlab_version=__version__, backend_version=health.version,
            )
            write_state(state_file, state)
            return _info_from_state(state, state_file, health.missing_services, allowed)
    return _launch_localstack(state_file, port)


def _launch_localstack(state_file: Path, port: int | None) -> SandboxInfo:
    from ztlab.sandbox.localstack_runtime import launch_localstack

    log_file = locations().log_dir / "sandbox-localstack.log"
    proc, chosen_port, health = launch_localstack(
        locations().localstack_venv, locations().sandbox_dir / "localstack-volume", log_file, port
    )
    state = SandboxState(
        backend="localstack", endpoint_url=f"http://127.0.0.1:{chosen_port}", region=DEFAULT_REGION,
        account_id=LOCALSTACK_ACCOUNT_ID, pid=proc.pid, process_started=process_started(proc.pid), port=chosen_port,
        started_at=time.time(), ztlab_version=__version__, backend_version=health.version, log_file=str(log_file),
    )
    write_state(state_file, state)
    return _info_from_state(state, state_file, health.missing_services)


def _endpoint_allowed(url: str, allowed: frozenset[str]) -> bool:
    try:
        check_endpoint(url, set(allowed) | allowed_extra_hosts())
        return True
    except SandboxError:
        return False


def reset_sandbox(info: SandboxInfo | None = None) -> SandboxInfo:
    """Empty the account. moto: one fast call. LocalStack: restart the runtime ztlab launched
    (a LocalStack ztlab did not start is not ours to wipe)."""
    info = info or current_sandbox()
    if info is None:
        raise SandboxError("no sandbox is running; start one with: ztlab sandbox start")
    if info.backend == "moto":
        reset_moto(info)
        return info
    if not info.launched_by_ztlab:
        raise SandboxError(
            f"this LocalStack ({info.endpoint_url}) was not started by ztlab, so ztlab will not wipe it; "
            "restart it yourself, or let ztlab run its own: ztlab sandbox stop && ztlab sandbox start --backend localstack"
        )
    # The community runtime has no reset call; a restart on the same port is a clean account.
    state_file = info.state_file or locations().sandbox_state_file
    stop_sandbox(info)
    with _state_lock(state_file):
        return _launch_localstack(state_file, info.port)


def stop_sandbox(info: SandboxInfo | None = None) -> str:
    """Stop the sandbox (SIGTERM, SIGKILL after a timeout) and remove its state file.
    Returns what happened, for the CLI: 'stopped', 'killed', 'forgotten' or 'not-running'."""
    state_file = (info.state_file if info and info.state_file else None) or locations().sandbox_state_file
    with _state_lock(state_file):
        state = read_state(state_file)
        if state is None:
            state_file.unlink(missing_ok=True)
            return "not-running"
        if state.pid is None:
            remove_state(state_file)
            return "forgotten"  # a LocalStack ztlab connected to but did not start
        outcome = "not-running"
        if _ours(state):
            outcome = {"killed": "killed"}.get(terminate(state.pid, timeout=STOP_TIMEOUT[state.backend]), "stopped")
        remove_state(state_file, only_pid=state.pid)
        return outcome


def _plain_moto(url: str) -> bool:
    from ztlab.sandbox.http import request_json

    try:
        status, body = request_json(url + "/moto-api/config", timeout=10.0)
    except (OSError, ValueError):
        return False
    return status in (200, 201) and isinstance(body, dict) and "batch" in body


def connect(endpoint_url: str | None = None) -> SandboxInfo:
    """A sandbox for `--endpoint-url URL` (loopback or an allowed LocalStack host), health-checked;
    without a URL, the running sandbox."""
    if not endpoint_url:
        info = current_sandbox()
        if info is None:
            raise SandboxError("no sandbox is running; start one with: ztlab sandbox start (or pass --endpoint-url)")
        return info
    settings_endpoint = None
    with contextlib.suppress(Exception):
        settings_endpoint = _settings().localstack_endpoint
    allowed = configured_hosts(settings_endpoint)
    url = check_endpoint(endpoint_url.rstrip("/"), set(allowed))  # raises EndpointRefused
    running = current_sandbox()
    if running is not None and running.endpoint_url.rstrip("/") == url:
        return running
    moto = probe_json(url + MOTO_HEALTH_PATH, timeout=2.0)
    if isinstance(moto, dict) and moto.get("backend") == "moto":
        return SandboxInfo(backend="moto", endpoint_url=url, backend_version=moto.get("moto_version"), allowed_hosts=allowed)
    health = localstack_health(url)
    if health is not None:
        return SandboxInfo(
            backend="localstack", endpoint_url=url, account_id=LOCALSTACK_ACCOUNT_ID, backend_version=health.version,
            missing_services=health.missing_services, allowed_hosts=allowed,
        )
    # A plain moto server (`moto_server`, ThreadedMotoServer) has no ztlab health route. Its config
    # route answers a few hundred bytes whatever the account holds (data.json dumped every backend:
    # 6 MB, or HTTP 500 on some states, and timed out under load).
    if _plain_moto(url):
        return SandboxInfo(backend="moto", endpoint_url=url, allowed_hosts=allowed)
    raise SandboxError(f"nothing that looks like moto or LocalStack answers at {url}; is the sandbox running?")


__all__ = [
    "SandboxInfo",
    "connect",
    "current_sandbox",
    "describe_missing",
    "ensure_running",
    "reset_sandbox",
    "stop_sandbox",
]
