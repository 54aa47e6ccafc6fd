"""Read a sandbox account into an AccountSnapshot.

Each service is read on its own thread and in its own try-block: a bucket whose broken policy makes
moto answer HTTP 500, a service LocalStack does not emulate (501), or an AccessDenied is written into
the snapshot as the reason that part is unreadable, and everything else is still read.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from ztlab.snapshot.model import AccountSnapshot

ClientFactory = Callable[[str], Any]


class NotSet(Exception):
    """The API said 'there is none' (no policy, no encryption...): a valid state, not an error."""


def reason(exc: BaseException) -> str:
    """A short, readable account of why a call failed (no HTML error pages, one line)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error", {}) or {}
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        code = error.get("Code") or "Error"
        message = _one_line(error.get("Message") or str(exc))
        if code == str(status) or code == "Error":
            code = "ServerError" if (status or 0) >= 500 else "Error"
        return f"{code} (HTTP {status}): {message}" if status else f"{code}: {message}"
    return f"{type(exc).__name__}: {_one_line(str(exc))}"


def _one_line(message: str) -> str:
    lowered = message.lower()
    if "<html" in lowered or "<!doctype" in lowered:
        if "501" in message or "not implemented" in lowered:
            return "the endpoint does not implement this operation"
        return "the endpoint answered with an internal-error page (this emulator may not support the operation)"
    return " ".join(message.split())[:300]


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code") or "")
    return ""


def clean(value: Any) -> Any:
    """API responses made JSON-safe: datetimes as ISO text, bytes as text, no ResponseMetadata."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def attempt(errors: dict[str, str], part: str, fn: Callable[[], Any], *, absent: tuple[str, ...] = (), default: Any = None) -> Any:
    """Run one read; an error code in `absent` means 'not set' (returns default), others are recorded."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - every failure becomes a recorded reason
        if absent and error_code(exc) in absent:
            return default
        errors[part] = reason(exc)
        return default


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    if client.can_paginate(operation):
        out: list[Any] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            out.extend(page.get(key, []))
        return out
    return list(getattr(client, operation)(**kwargs).get(key, []))


def pmap(fn: Callable[[Any], Any], items: list[Any], workers: int = 8) -> list[Any]:
    if len(items) <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


class _Clients:
    """Creates clients one at a time (boto3 sessions are not thread-safe), then shares them."""

    def __init__(self, factory: Any):
        self._make: ClientFactory = factory.client if hasattr(factory, "client") else factory
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        with self._lock:
            if service not in self._cache:
                self._cache[service] = self._make(service)
            return self._cache[service]


def read_snapshot(clients: Any, *, region: str, workers: int = 6) -> AccountSnapshot:
    """Read the account behind `clients` (a SandboxClients, or any service-name -> client callable)."""
    started = time.perf_counter()
    get = _Clients(clients)
    account_id = "unknown"
    try:
        account_id = get("sts").get_caller_identity()["Account"]
    except Exception:  # noqa: BLE001 - the account id is only a label; reads below report their own errors
        pass
    snap = AccountSnapshot(
        account_id=account_id,
        region=region,
        taken_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        endpoint_url=getattr(clients, "endpoint_url", None),
    )
    from ztlab.snapshot import services

    readers = services.READERS
    # EC2 first: its model is the slowest to load, so it starts while the others queue.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(_read_one, fn, get, snap) for name, fn in readers.items()}
        for future in futures.values():
            future.result()
    snap.read_seconds = round(time.perf_counter() - started, 3)
    return snap


def _read_one(fn: Callable[[Any, AccountSnapshot], None], get: Any, snap: AccountSnapshot) -> None:
    service = fn.__name__.removeprefix("read_")
    try:
        fn(get, snap)
    except Exception as exc:  # noqa: BLE001 - a whole service that cannot be read is recorded, not raised
        getattr(snap, service).error = reason(exc)


def parse_credential_report(content: bytes | str) -> list[dict[str, str]]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]
