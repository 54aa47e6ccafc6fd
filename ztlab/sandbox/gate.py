"""The one door into a ztlab moto server: who may call what, checked before moto sees a request.

Both sandboxes (the background server and the autograder's private one) put this WSGI middleware
in front of moto, so the rules live in one place:

- Host: only the loopback names the server was started for. A web page that rebinds its own DNS
  name to 127.0.0.1 (DNS rebinding) still sends its own name as Host and is refused.
- `/moto-api/...` (reset, seed, recorder, data dump) and every `/_ztlab/...` route except the
  health probe need ztlab's per-server token in `X-Ztlab-Token`. A learner's aws CLI or script
  has the fake keys, not the token, so it cannot empty the account or rewrite the recording.
- The health probe answers anyone, but never with the token: it proves the server is ours by
  answering a caller's nonce with an HMAC made with the token.

The token header is removed before moto sees the request, so moto's recorder never stores it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from typing import Any

TOKEN_HEADER = "X-Ztlab-Token"
NONCE_PARAM = "nonce"
HEALTH_PATH = "/_ztlab/health"
CONTROL_PREFIX = "/moto-api"
ZTLAB_PREFIX = "/_ztlab/"
# Names a browser or tool may send as Host for a server on 127.0.0.1. `*.localhost` is S3's
# virtual-hosted style against a localhost endpoint; browsers never resolve it off the machine.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})

_ENVIRON_TOKEN = "HTTP_X_ZTLAB_TOKEN"

# A route answers (environ) -> (status, JSON-able body); it only runs for authorised callers.
Route = Callable[[dict], tuple[int, Any]]


def proof(token: str, nonce: str) -> str:
    """What the server answers to a health probe carrying `nonce`: only the token's holder can make it."""
    return hmac.new(token.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def host_allowed(host_header: str | None) -> bool:
    if not host_header:
        return True  # HTTP/1.0 without Host: not a browser, so not a rebinding page
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.rstrip(".")
    return host in LOOPBACK_HOSTS or host.endswith(".localhost")


def _answer(start_response, status: int, body: Any) -> list[bytes]:
    reasons = {200: "OK", 403: "Forbidden", 404: "Not Found", 421: "Misdirected Request"}
    payload = json.dumps(body).encode()
    start_response(f"{status} {reasons.get(status, 'Error')}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


class Gate:
    """WSGI middleware: host check, token check, health probe, extra ztlab routes, activity clock."""

    def __init__(self, app, token: str, identity: dict | None = None):
        self.app = app
        self.token = token
        self.identity = dict(identity or {})
        self.routes: dict[str, Route] = {}
        self.last_request = time.monotonic()
        self.requests = 0
        self._lock = threading.Lock()
        # Held while ztlab sets moto up in the background (the warm-up's first backends, EC2's
        # modules later): moto's reset walks the registries that importing a service and building
        # a backend add to, and a reset during that raced it ("dictionary changed size during
        # iteration", HTTP 500, a failed cold start). Control routes take it too.
        self.moto_setup = threading.Lock()

    def authorized(self, environ: dict) -> bool:
        """The one token check: every protected route goes through here."""
        given = environ.get(_ENVIRON_TOKEN, "")
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def add_route(self, name: str, route: Route) -> None:
        """`/_ztlab/<name>`, answered only to callers holding the token."""
        self.routes[ZTLAB_PREFIX + name] = route

    def __call__(self, environ, start_response):
        if not host_allowed(environ.get("HTTP_HOST")):
            return _answer(start_response, 421, {"error": "ztlab sandbox: this server only answers its loopback address"})
        authorized = self.authorized(environ)
        environ.pop(_ENVIRON_TOKEN, None)
        path = environ.get("PATH_INFO") or "/"
        if path == HEALTH_PATH:
            return _answer(start_response, 200, self._health(environ))
        if path.startswith(ZTLAB_PREFIX):
            route = self.routes.get(path)
            if not authorized:
                return _answer(start_response, 403, {"error": "ztlab sandbox: this route needs ztlab's token"})
            if route is None:
                return _answer(start_response, 404, {"error": f"no route {path}"})
            self._note_activity()  # a learner's `lab check` served here is use, unlike the health probe
            status, body = route(environ)
            return _answer(start_response, status, body)
        if (path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")) and not authorized:
            return _answer(start_response, 403, {
                "error": "ztlab sandbox: the emulator's control routes (/moto-api/...) are for ztlab itself; "
                         "use `ztlab sandbox reset` to empty the account"})
        self._note_activity()
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            if not self.moto_setup.acquire(timeout=120):
                return _answer(start_response, 503, {"error": "ztlab sandbox: still setting up moto; retry"})
            try:
                return self.app(environ, start_response)
            finally:
                self.moto_setup.release()
        return self.app(environ, start_response)

    def _note_activity(self) -> None:
        with self._lock:
            self.last_request = time.monotonic()
            self.requests += 1

    def _health(self, environ: dict) -> dict:
        # The probe is not activity: a status poll must not keep an unused sandbox alive.
        from urllib.parse import parse_qs

        body = dict(self.identity, requests=self.requests, idle_seconds=round(time.monotonic() - self.last_request, 1))
        nonce = parse_qs(environ.get("QUERY_STRING", "")).get(NONCE_PARAM, [""])[0]
        if nonce:
            body["proof"] = proof(self.token, nonce[:128])
        return body


# ----------------------------------------------------------------------------- the caller's side
# Tokens of the private servers this process runs (the autograder's); the background server's
# token is in its state file.
_LOCAL_TOKENS: dict[str, str] = {}


def register_token(endpoint_url: str, token: str | None) -> None:
    if token is None:
        _LOCAL_TOKENS.pop(endpoint_url.rstrip("/"), None)
    else:
        _LOCAL_TOKENS[endpoint_url.rstrip("/")] = token


def token_for(endpoint_url: str) -> str | None:
    """ztlab's token for the server at `endpoint_url`, if ztlab runs it (else None: a plain moto)."""
    url = endpoint_url.rstrip("/")
    if url in _LOCAL_TOKENS:
        return _LOCAL_TOKENS[url]
    from ztlab.locations import locations
    from ztlab.sandbox.state import read_state

    state = read_state(locations().sandbox_state_file)
    if state is not None and state.token and state.endpoint_url.rstrip("/") == url:
        return state.token
    return None


def control_headers(target) -> dict[str, str]:
    """Headers for ztlab's own calls to a server's control routes. `target` is a sandbox (which may
    carry its token) or an endpoint URL."""
    if isinstance(target, str):
        token = token_for(target)
    else:
        token = getattr(target, "token", None) or token_for(target.endpoint_url)
    return {TOKEN_HEADER: token} if token else {}
