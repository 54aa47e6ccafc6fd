"""Tiny HTTP helpers for health probes and control calls to a loopback endpoint (stdlib only:
probing must stay fast and must never pick up proxy settings that could send it elsewhere)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

# No proxies: HTTP(S)_PROXY in the user's environment must not route a loopback probe anywhere.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def request_json(url: str, method: str = "GET", timeout: float = 2.0, data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """(status, parsed JSON or None). Raises OSError when nothing answers."""
    req = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    try:
        with _opener.open(req, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def probe_json(url: str, timeout: float = 2.0) -> Any:
    """The JSON body of a 200 answer, or None when nothing (or something else) answers."""
    try:
        status, body = request_json(url, timeout=timeout)
    except (OSError, ValueError):
        return None
    return body if status == 200 else None
