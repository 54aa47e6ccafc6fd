"""A process-wide guard: sockets may reach loopback only, and no name is looked up except loopback's.

Both sandboxes run under it (the background server for its whole life, the autograder's private
server while it runs): an emulator has no business opening a connection to the outside world, and
learners choose names and addresses (an SNS http subscription, a webhook URL), so a moto code path
that tries to reach one fails loudly instead of connecting, and never asks the resolver either
(a DNS query for a learner-chosen name is itself a message off the machine).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_originals: dict[str, object] = {}


class OutboundConnectionRefused(ConnectionRefusedError):
    pass


def is_loopback_host(host: object) -> bool:
    """A host that names this machine without asking a resolver: a loopback address or localhost."""
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, used for binding
    from ztlab.sandbox.hosts import is_loopback

    return is_loopback(host if isinstance(host, (str, bytes)) else str(host))


def is_loopback_address(address: object) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX path
    if not isinstance(address, tuple) or not address:
        return False
    return address[0] is not None and is_loopback_host(address[0])


def _refuse(what: str, target: object) -> OutboundConnectionRefused:
    return OutboundConnectionRefused(f"ztlab sandbox: {what} {target!r} refused (loopback only)")


def _install() -> None:
    real = {
        "connect": socket.socket.connect, "connect_ex": socket.socket.connect_ex, "sendto": socket.socket.sendto,
        "getaddrinfo": socket.getaddrinfo, "gethostbyname": socket.gethostbyname,
        "gethostbyname_ex": socket.gethostbyname_ex, "gethostbyaddr": socket.gethostbyaddr,
    }
    _originals.update(real)

    def connect(self, address):
        if not is_loopback_address(address):
            raise _refuse("outbound connection to", address)
        return real["connect"](self, address)

    def connect_ex(self, address):
        if not is_loopback_address(address):
            raise _refuse("outbound connection to", address)
        return real["connect_ex"](self, address)

    def sendto(self, data, *args):
        address = args[-1]
        if not is_loopback_address(address):
            raise _refuse("datagram to", address)
        return real["sendto"](self, data, *args)

    def lookup(name):
        def guarded(host, *args, **kwargs):
            if not is_loopback_host(host):
                raise socket.gaierror(socket.EAI_NONAME, f"ztlab sandbox: name lookup of {host!r} refused (loopback only)")
            return real[name](host, *args, **kwargs)
        return guarded

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = sendto  # type: ignore[method-assign]
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, name, lookup(name))


def _uninstall() -> None:
    for name in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, name, _originals[name])
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        setattr(socket, name, _originals[name])
    _originals.clear()


def install_loopback_guard() -> None:
    """Guard this process for the rest of its life (the background server, a regrade)."""
    global _depth
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """Guard this process while the block runs (the autograder's private server lives inside
    the calling process); nested and permanent installs keep it on."""
    global _depth
    install_loopback_guard()
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _uninstall()
