"""Read a sandbox account into an AccountSnapshot.

Each service is read on its own thread and in its own try-block: a bucket whose broken policy makes
moto answer HTTP 500, a service LocalStack does not emulate (501), or an AccessDenied is written into
the snapshot as the reason that part is unreadable, and everything else is still read.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable

from ztlab.snapshot import services as services_module
from ztlab.snapshot.calls import reason
from ztlab.snapshot.model import AccountSnapshot

ClientFactory = Callable[[str], Any]


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


def read_snapshot(clients: Any, *, region: str, workers: int = 6, services: Any = None,
                  unavailable: dict[str, str] | None = None) -> AccountSnapshot:
    """Read the account behind `clients` (a SandboxClients, or any service-name -> client callable).

    `services` limits the read to some sections (a lab reads only what it uses: each botocore
    service model costs a tenth of a second or more to load). `unavailable` maps services the back
    end is known to lack (e.g. CloudTrail on LocalStack's community runtime) to the reason. Sections
    not read either way are recorded as unreadable with the reason, so a check that needs one answers
    UNKNOWN instead of passing on an empty list.
    """
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
    skipped = dict(unavailable or {})
    if services is not None:
        wanted = set(services)
        covered = ", ".join(sorted(wanted))
        skipped.update({name: f"not read: this snapshot covers only {covered}" for name in services_module.READERS if name not in wanted})
    readers = {name: fn for name, fn in services_module.READERS.items() if name not in skipped}
    for name, why in skipped.items():
        if name in services_module.READERS:
            getattr(snap, name).error = why
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
