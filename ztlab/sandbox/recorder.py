"""moto's request recorder and random seed, driven over HTTP, and a replay into another server.

A workshop submission must be re-gradable: the sandbox records the learner's requests, and an
instructor replays them into a fresh server. Replay only lands on the same account when every id
moto generates (security groups, policy ids, request ids) comes out the same, so the sandbox's
random generator is seeded before setup. moto draws a random request id for EVERY request, reads
included; that is why the recording keeps the learner's reads too (dropping them would shift the
ids of later creates), and why ztlab's own reads during a check are kept out of it and followed by
a recorded re-seed (see `paused`).

Only the moto back end has a recorder; on LocalStack every function here is a no-op and
`supported()` says so.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ztlab.sandbox.session import SandboxError, check_endpoint

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Operation-name prefixes that only read. Everything else counts as a state change.
READ_PREFIXES = ("Get", "List", "Describe", "Head", "Lookup", "Search", "Scan", "Query", "Simulate", "Check", "Batch_Get")


def supported(sandbox) -> bool:
    return getattr(sandbox, "backend", "moto") == "moto"


def seed_for(*parts: str) -> int:
    """A stable 32-bit seed from text (lab id, learner variant): the same inputs give the same ids."""
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def _call(sandbox, path: str, method: str = "POST", data: bytes | None = b"") -> bytes:
    from ztlab.sandbox.gate import control_headers

    endpoint_url = sandbox.endpoint_url
    url = check_endpoint(endpoint_url.rstrip("/")) + path
    request = urllib.request.Request(url, method=method, data=data if method != "GET" else None,
                                     headers=control_headers(sandbox))
    try:
        with _opener.open(request, timeout=30) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise SandboxError(f"the sandbox refused {path} (HTTP {exc.code})") from None
    except OSError as exc:
        raise SandboxError(f"cannot reach the sandbox at {endpoint_url} for {path}: {exc}") from None


def seed(sandbox, value: int) -> None:
    if supported(sandbox):
        _call(sandbox, f"/moto-api/seed?a={int(value)}")


def start(sandbox, *, fresh: bool = False) -> None:
    if supported(sandbox):
        if fresh:
            _call(sandbox, "/moto-api/recorder/reset-recording")
        _call(sandbox, "/moto-api/recorder/start-recording")


def stop(sandbox) -> None:
    if supported(sandbox):
        _call(sandbox, "/moto-api/recorder/stop-recording")


def download(sandbox) -> list[dict[str, Any]]:
    """Every request recorded since the last reset, in order."""
    if not supported(sandbox):
        return []
    text = _call(sandbox, "/moto-api/recorder/download-recording", method="GET").decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@contextlib.contextmanager
def paused(sandbox, reseed: int) -> Iterator[None]:
    """ztlab's own reads (a check, a hint) stay out of the recording. They still draw request ids
    from moto's generator, so recording resumes with a re-seed that the recording itself holds:
    a replay re-seeds at the same point and the learner's next ids match."""
    if not supported(sandbox):
        yield
        return
    stop(sandbox)
    try:
        yield
    finally:
        start(sandbox)
        seed(sandbox, reseed)


# ------------------------------------------------------------------------------------- reading entries
def _body_bytes(entry: dict[str, Any]) -> bytes:
    body = entry.get("body") or ""
    if entry.get("body_encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8") if isinstance(body, str) else b""


def operation(entry: dict[str, Any]) -> str:
    """A readable name for a recorded request: `iam:PutRolePolicy`, `s3:PUT /bucket?policy`, `moto:seed`."""
    parts = urlsplit(entry.get("url", ""))
    headers = {k.lower(): v for k, v in (entry.get("headers") or {}).items()}
    if parts.path.startswith("/moto-api/"):
        return "moto:" + parts.path.rsplit("/", 1)[-1]
    service = ""
    auth = headers.get("authorization", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        service = scope[3] if len(scope) > 3 else ""
    target = headers.get("x-amz-target")
    if target:
        return f"{service}:{target.rsplit('.', 1)[-1]}"
    query = parse_qs(parts.query)
    action = query.get("Action", [None])[0]
    if action is None and "x-www-form-urlencoded" in headers.get("content-type", ""):
        action = parse_qs(_body_bytes(entry).decode("utf-8", "replace")).get("Action", [None])[0]
    if action:
        return f"{service}:{action}"
    method = entry.get("method", "GET")
    return f"{service or 'rest'}:{method} {parts.path}{'?' + parts.query if parts.query else ''}"


def changes_state(entry: dict[str, Any]) -> bool:
    name = operation(entry)
    if name.startswith("moto:"):
        return False
    verb = name.split(":", 1)[1]
    if " " in verb:  # a REST call: the HTTP method decides
        return verb.split(" ", 1)[0] not in ("GET", "HEAD", "OPTIONS")
    return not verb.startswith(READ_PREFIXES)


# ------------------------------------------------------------------------------------------- replaying
# moto control calls a genuine recording holds: ztlab's re-seeds, and a learner's own reset.
REPLAYABLE_CONTROL_PATHS = ("/moto-api/seed", "/moto-api/reset")


@dataclass
class ReplayOutcome:
    sent: int
    errors: list[str]  # requests that could not be sent at all: the replay is incomplete
    server_errors: list[str]  # 5xx answers; moto gives some live too (a broken bucket policy), so only noted


def replay(entries: list[dict[str, Any]], endpoint_url: str) -> ReplayOutcome:
    """Send recorded requests, in order, to another (loopback) server, byte for byte. 4xx answers are
    fine: the learner's own mistakes fail again, as they did live.

    http.client rather than urllib: urllib adds a form Content-Type to any request with a body, and
    moto then reads an S3 `PUT /bucket?policy` as something else."""
    import http.client

    from ztlab.sandbox.gate import TOKEN_HEADER, control_headers

    target = urlsplit(check_endpoint(endpoint_url.rstrip("/")))
    # The replay server's own control routes need its token; a token inside the recording (forged:
    # the gate strips it before moto records) is never passed on.
    control = control_headers(endpoint_url)
    errors: list[str] = []
    server_errors: list[str] = []
    sent = 0
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    try:
        for index, entry in enumerate(entries, 1):
            try:
                original = urlsplit(entry["url"])
                if original.path.startswith("/moto-api/") and original.path not in REPLAYABLE_CONTROL_PATHS:
                    # A recording never holds these (the recorder skips its own paths and ztlab sends no
                    # others); a forged one could make the server fetch or replay from elsewhere.
                    errors.append(f"request {index}: {original.path} is not something a learner's session sends")
                    continue
                path = (original.path or "/") + (f"?{original.query}" if original.query else "")
                headers = {}
                for key, value in (entry.get("headers") or {}).items():
                    lower = key.lower()
                    if lower in ("content-length", "transfer-encoding", "connection", "expect", "keep-alive",
                                 TOKEN_HEADER.lower()):
                        continue
                    if lower == "host":
                        # Virtual-hosted S3 names keep their bucket prefix; only the server part moves.
                        value = value[: -len(original.netloc)] + target.netloc if value.endswith(original.netloc) else target.netloc
                    headers[str(key)] = str(value)
                if original.path in REPLAYABLE_CONTROL_PATHS:
                    headers.update(control)
                body = _body_bytes(entry)
                method = str(entry.get("method", "GET"))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                errors.append(f"request {index}: not a recorded request ({type(exc).__name__}: {exc})")
                continue
            if method not in ("GET", "HEAD") or body:
                headers["Content-Length"] = str(len(body))
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    server_errors.append(f"request {index} ({operation(entry)}): HTTP {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"request {index} ({operation(entry)}): {exc}")
                connection.close()
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                continue
            sent += 1
    finally:
        connection.close()
    return ReplayOutcome(sent, errors, server_errors)
