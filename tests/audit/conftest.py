"""One real moto server per test session (per xdist worker) on 127.0.0.1, and the lab account built on it once."""

from __future__ import annotations

import logging
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # moto logs every request (and each 500 it answers)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=30).read()


@pytest.fixture
def endpoint(moto_endpoint: str, lab) -> str:
    """The shared server after the lab account was built; tests only add resources, never reset it."""
    return moto_endpoint


@pytest.fixture(scope="session")
def lab(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory):
    """(clients, ids, snapshot file) for the lab account, built once per session and read once."""
    from ztlab.sandbox import SandboxClients
    from ztlab.snapshot import read_snapshot

    from tests.audit.lab_account import build

    reset(moto_endpoint)
    clients = SandboxClients(moto_endpoint, "us-east-1")
    ids = build(clients)
    snapshot = read_snapshot(clients, region="us-east-1")
    path: Path = snapshot.save(tmp_path_factory.mktemp("lab") / "snapshot.json")
    return clients, ids, path
