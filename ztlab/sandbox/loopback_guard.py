"""A process-wide guard that lets sockets connect to loopback only.

The sandbox server runs with it installed: an emulator has no business opening a connection to
the outside world, so if a moto code path ever tried, it fails loudly instead of reaching AWS.
"""

from __future__ import annotations

import ipaddress
import socket

_installed = False


class OutboundConnectionRefused(ConnectionRefusedError):
    pass


def is_loopback_address(address: object) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX path
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def install_loopback_guard() -> None:
    global _installed
    if _installed:
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if not is_loopback_address(address):
            raise OutboundConnectionRefused(f"ztlab sandbox: outbound connection to {address!r} refused (loopback only)")
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not is_loopback_address(address):
            raise OutboundConnectionRefused(f"ztlab sandbox: outbound connection to {address!r} refused (loopback only)")
        return original_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    _installed = True
