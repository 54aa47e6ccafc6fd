"""A throw-away moto server on 127.0.0.1 for one command (the autograder's fresh account).

It lives inside the calling process and dies with it; nothing is written to the shared sandbox
state, so a learner's running sandbox is never touched by an autograder run.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from ztlab.sandbox.session import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, SandboxClients


@dataclass
class EphemeralSandbox:
    endpoint_url: str
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    backend: str = "moto"

    def clients(self) -> SandboxClients:
        return SandboxClients(self.endpoint_url, self.region)

    @property
    def missing_services(self) -> set[str]:
        return set()

    def reset(self) -> None:
        """Empty every account in this server (moto's own reset endpoint)."""
        import urllib.request

        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10):
            pass


@contextlib.contextmanager
def ephemeral_moto() -> Iterator[EphemeralSandbox]:
    from moto.server import ThreadedMotoServer

    # werkzeug logs every request; an autograder's output must stay readable.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield EphemeralSandbox(endpoint_url=f"http://127.0.0.1:{port}")
    finally:
        server.stop()
