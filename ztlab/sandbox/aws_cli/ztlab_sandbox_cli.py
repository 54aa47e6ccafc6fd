"""An aws CLI (v1) plugin that sends every command to the ztlab sandbox.

Why a plugin: awscli v1 itself sets an explicit endpoint for sqs, rds, emr, docdb, neptune and
health in us-east-1 (its `overridesslcommonname` customisation), and an explicit endpoint beats
AWS_ENDPOINT_URL, per-service AWS_ENDPOINT_URL_<SERVICE> variables and `endpoint_url` in the config
file alike: `aws rds ...` went to https://rds.amazonaws.com/. This plugin runs right after the
top-level options are parsed, before any customisation, and pins `--endpoint-url` to the sandbox,
so every service and every command (s3, s3api, rds, sqs ...) goes there.

Two more holes are closed here, in the CLI's own process: s3control (and any operation with a
host prefix) puts the account id in front of the endpoint's host, which for 127.0.0.1 means a
DNS query for `123456789012.127.0.0.1`; the prefix is taken off again before the request is
signed. And the process gets a socket guard: no connect() and no name lookup except loopback
and the sandbox's own host, whatever some other customisation might try.

It is loaded through the `[plugins]` section of the config file ztlab writes (AWS_CONFIG_FILE),
from this folder (PYTHONPATH). It must import with the CLI's own Python, so it uses the standard
library only. If it cannot be imported the CLI stops with an ImportError: it fails closed.
"""

import ipaddress
import os
import socket
from urllib.parse import urlparse, urlsplit, urlunsplit

_LOOPBACK = ("localhost",)


def _host(url):
    try:
        host = (urlparse(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    return host


def _loopback(host):
    if host in _LOOPBACK:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _sandbox_endpoint(session):
    """The config file's endpoint (ztlab wrote it after checking it), else a loopback AWS_ENDPOINT_URL."""
    try:
        configured = session.get_scoped_config().get("endpoint_url")
    except Exception:  # an unknown AWS_PROFILE: no ztlab config applies
        configured = None
    if configured:
        return configured
    from_env = os.environ.get("AWS_ENDPOINT_URL")
    return from_env if from_env and _loopback(_host(from_env)) else None


def pin_endpoint(parsed_args, session, **kwargs):
    sandbox = _sandbox_endpoint(session)
    if not sandbox:
        raise ValueError("ztlab sandbox: no sandbox endpoint is configured; "
                         'run: eval "$(ztlab sandbox env)"  (or: ztlab sandbox shell)')
    given = getattr(parsed_args, "endpoint_url", None)
    if given:
        host = _host(given)
        if not (_loopback(host) or host == _host(sandbox)):
            raise ValueError(f"ztlab sandbox: refusing --endpoint-url {given}: this terminal talks to the sandbox "
                             f"({sandbox}) only. Leave the sandbox shell to use anything else.")
    else:
        parsed_args.endpoint_url = sandbox
    _guard_sockets(_host(sandbox))


def strip_host_prefix(request, **kwargs):
    """`123456789012.127.0.0.1` -> `127.0.0.1`: an address has no sub-domains, only a prefix added to it."""
    parts = urlsplit(request.url)
    host = parts.hostname or ""
    label, _, rest = host.partition(".")
    if not rest:
        return
    try:
        ipaddress.ip_address(rest)
    except ValueError:
        if rest != "localhost":
            return
    netloc = rest + (f":{parts.port}" if parts.port else "")
    request.url = urlunsplit(parts._replace(netloc=netloc))
    if "Host" in request.headers:  # a message-style mapping: assigning would add a second Host
        del request.headers["Host"]
        request.headers["Host"] = netloc


def _guard_sockets(sandbox_host):
    def allowed(host):
        if host is None:
            return True
        text = host.decode() if isinstance(host, bytes) else str(host)
        text = text.rstrip(".").lower()
        return _loopback(text.strip("[]").split("%", 1)[0]) or text == sandbox_host

    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if isinstance(address, tuple) and not allowed(address[0]):
            raise ConnectionRefusedError(f"ztlab sandbox: connection to {address!r} refused (sandbox only)")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not allowed(host):
            raise socket.gaierror(socket.EAI_NONAME, f"ztlab sandbox: name lookup of {host!r} refused (sandbox only)")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.getaddrinfo = getaddrinfo


def awscli_initialize(cli):
    cli.register("top-level-args-parsed", pin_endpoint)
    cli.register("before-sign", strip_host_prefix)
