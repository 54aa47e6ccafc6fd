"""Host names and addresses in one canonical form, so every allow/refuse decision sees the same thing.

`S3.AmazonAWS.com.`, `s3.amazonaws.com`, `0x7f.1`, `2130706433`, `0177.0.0.1`, `[::ffff:127.0.0.1]`
and an internationalised name in Unicode or punycode each name one host; a rule that compares the
text as typed can be walked around by spelling the host another way. `canonical_host` gives the
one spelling (lower case, no trailing dot, punycode, IPv4 dotted quad, IPv6 compressed, an IPv4
mapped into IPv6 as the IPv4 it carries) and the decisions below only ever see that.
"""

from __future__ import annotations

import ipaddress
import re

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Real AWS (and its China/GovCloud partitions) is never a sandbox, whatever the user allowed.
AWS_DOMAINS = ("amazonaws.com", "amazonaws.com.cn", "aws", "amazon.com", "api.aws", "on.aws")

# One part of the old inet_aton forms browsers and C libraries still accept: 0x7f, 0177, 127.
_INET_PART = re.compile(r"^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$")


def _legacy_ipv4(text: str) -> str | None:
    """`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1` as a dotted quad; None when not that form."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(_INET_PART.match(p) for p in parts):
        return None
    values = [int(p, 16) if p.startswith("0x") else int(p, 8) if p.startswith("0") and len(p) > 1 else int(p or "0")
              for p in parts]
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for value in head:
        number = number * 256 + value
    number = number * 256 ** (4 - len(head)) + last
    return str(ipaddress.IPv4Address(number))


def canonical_host(host: str | bytes | None) -> str:
    """The one spelling of a host (see module doc). Raises ValueError for text that is no host name."""
    if host is None:
        raise ValueError("no host")
    text = host.decode("utf-8") if isinstance(host, bytes) else str(host)
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.split("%", 1)[0] if ":" in text else text  # an IPv6 zone id names no other host
    if not text.isascii():
        # IDNA maps full-width digits and dots, ideographic full stops and case to plain ASCII
        # first, so `１２７．０．０．１` and `s3.amazonaws.com。` are decided as what they are.
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"not a host name: {text!r}") from exc
    text = text.rstrip(".").lower()
    if not text:
        raise ValueError("empty host")
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(address)
    legacy = _legacy_ipv4(text)
    if legacy is not None:
        return legacy
    if any(not label for label in text.split(".")):
        raise ValueError(f"not a host name: {text!r}")
    return text


def is_loopback(host: str | bytes | None) -> bool:
    """Names this machine without asking a resolver: a loopback address or localhost."""
    try:
        canonical = canonical_host(host)
    except ValueError:
        return False
    if canonical in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(canonical).is_loopback
    except ValueError:
        return False


def is_aws_domain(host: str | bytes | None) -> bool:
    try:
        canonical = canonical_host(host)
    except ValueError:
        return False
    return any(canonical == d or canonical.endswith("." + d) for d in AWS_DOMAINS)


def canonical_hosts(names) -> set[str]:
    """A list of hosts (ZTLAB_ALLOWED_HOSTS, settings) in canonical form; unusable entries dropped."""
    result = set()
    for name in names:
        try:
            result.add(canonical_host(name))
        except ValueError:
            continue
    return result
