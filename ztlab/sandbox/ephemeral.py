"""A throw-away moto server on 127.0.0.1 for one command (the autograder's fresh account, a regrade).

It lives inside the calling process and dies with it; nothing is written to the shared sandbox
state, so a learner's running sandbox is never touched by an autograder run. It is built like the
background server (moto_app.py: the same gate, its own token) and the process runs under the
loopback guard while it lives: the learner's scripts choose what moto is asked to contact.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from ztlab.sandbox.session import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, SandboxClients


@dataclass
class EphemeralSandbox:
    endpoint_url: str
    region: str = DEFAULT_REGION
    account_id: str = DEFAULT_ACCOUNT_ID
    backend: str = "moto"
    token: str | None = field(default=None, repr=False)  # the key to its control routes, kept in memory

    def clients(self) -> SandboxClients:
        return SandboxClients(self.endpoint_url, self.region)

    @property
    def missing_services(self) -> set[str]:
        return set()

    def reset(self) -> None:
        """Empty every account in this server (moto's own reset endpoint)."""
        from ztlab.sandbox.moto_backend import reset_moto

        reset_moto(self)


@contextlib.contextmanager
def ephemeral_moto() -> Iterator[EphemeralSandbox]:
    import moto

    from ztlab.sandbox.gate import register_token
    from ztlab.sandbox.loopback_guard import loopback_only
    from ztlab.sandbox.moto_app import make_moto_server

    # werkzeug logs every request; an autograder's output must stay readable.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    token = secrets.token_hex(16)
    with loopback_only():
        server, _gate = make_moto_server(0, token, {"backend": "moto", "moto_version": moto.__version__})
        endpoint = f"http://127.0.0.1:{server.server_port}"
        register_token(endpoint, token)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            box = EphemeralSandbox(endpoint_url=endpoint, token=token)
            # moto's accounts live in module globals: an earlier server in this process (a test
            # suite, a long-lived app) may have left resources. A private sandbox starts empty.
            box.reset()
            yield box
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            register_token(endpoint, None)
