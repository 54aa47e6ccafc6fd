"""One API call's answer made into snapshot data: why a call failed (one readable line), its error
code, JSON-safe values, a read that records its failure instead of raising, paging, and the
parallel map the service readers share. Both the reader and the per-service readers use these,
so neither imports the other for them.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, Callable


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
        operation = getattr(exc, "operation_name", None)
        where = f" from {operation}" if operation else ""
        return f"{code} (HTTP {status}){where}: {message}" if status else f"{code}{where}: {message}"
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


def parse_credential_report(content: bytes | str) -> list[dict[str, str]]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return [dict(row) for row in csv.DictReader(io.StringIO(text))]
