"""A socket guard for tests: any connection (or name lookup) that is not loopback is recorded and fails.

Used in-process by monkeypatching, and in subprocesses through a generated `sitecustomize.py`
(so the CLI and the background server it launches are guarded too).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback_host(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, used for binding
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class SocketGuard:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def install(self, monkeypatch) -> "SocketGuard":
        real_connect, real_connect_ex, real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
        guard = self

        def check(what: str, address: object) -> None:
            host = address[0] if isinstance(address, tuple) else None
            if isinstance(address, tuple) and not is_loopback_host(host):
                guard.violations.append(f"{what} {address!r}")
                raise ConnectionRefusedError(f"test socket guard: {what} to {address!r} is not loopback")

        def connect(sock, address):
            check("connect", address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            check("connect", address)
            return real_connect_ex(sock, address)

        def getaddrinfo(host, *args, **kwargs):
            if not is_loopback_host(host):
                guard.violations.append(f"getaddrinfo {host!r}")
                raise socket.gaierror(f"test socket guard: lookup of {host!r} refused")
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return self


SITECUSTOMIZE = '''
import ipaddress, os, socket
_log = os.environ.get("ZTLAB_TEST_GUARD_LOG")
def _loopback(host):
    if host is None:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False
def _record(what):
    if _log:
        with open(_log, "a") as f:
            f.write(f"{os.getpid()} {what}\\n")
_c, _cx, _g = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
def _check(address):
    if isinstance(address, tuple) and not _loopback(address[0]):
        _record(f"connect {address!r}")
        raise ConnectionRefusedError(f"test socket guard: {address!r} is not loopback")
def connect(self, address):
    _check(address)
    return _c(self, address)
def connect_ex(self, address):
    _check(address)
    return _cx(self, address)
def getaddrinfo(host, *a, **k):
    if not _loopback(host):
        _record(f"getaddrinfo {host!r}")
        raise socket.gaierror(f"test socket guard: lookup of {host!r} refused")
    return _g(host, *a, **k)
socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
'''


def write_sitecustomize(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return folder
