"""moto's WSGI app behind ztlab's gate, served on 127.0.0.1: the one way both sandboxes build their server."""

from __future__ import annotations

from ztlab.sandbox.gate import Gate
from ztlab.sandbox.moto_routing import register_dispatcher


def make_moto_server(port: int, token: str, identity: dict | None = None):
    """(werkzeug server bound to 127.0.0.1:port, its gate). Raises OSError/SystemExit when the port is taken."""
    from werkzeug.serving import make_server

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    try:  # moto 5.2.5+: keeps chunked uploads and `Expect: 100-continue` working
        from moto.moto_server.werkzeug_app import MotoRequestHandler
    except ImportError:  # pragma: no cover - older moto
        MotoRequestHandler = None
    gate = Gate(DomainDispatcherApplication(create_backend_app), token, identity)
    register_dispatcher(gate.app)
    server = make_server("127.0.0.1", port, gate, threaded=True, request_handler=MotoRequestHandler)
    return server, gate
