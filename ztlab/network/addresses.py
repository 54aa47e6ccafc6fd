"""Sets of IP addresses as sorted integer intervals, and what counts as "the world".

A rule is open to the world when the addresses it admits include a large public space, whatever
the spelling: 0.0.0.0/0, ::/0, 0.0.0.0/1 + 128.0.0.0/1, 0.0.0.0/0 minus a few NACL denies...
CIDR text is parsed by the policy engine's `parse_network` (the same parser decides
`aws:SourceIp` conditions), so a range means the same thing to a policy and to a security group.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache

from ztlab.policy.conditions import parse_network

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Addresses that are not reachable from the internet (RFC 6890 special-purpose blocks).
_NOT_PUBLIC_V4 = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
]
# IPv6: only global unicast (2000::/3) is public, less the documentation block.
_PUBLIC_V6 = ["2000::/3"]
_NOT_PUBLIC_V6 = ["2001:db8::/32"]

# "A large public space": at least a /8 worth of public IPv4 addresses or a /32 of global IPv6.
WORLD_V4_ADDRESSES = 2**24
WORLD_V6_ADDRESSES = 2**96


@dataclass
class AddressSet:
    version: int
    intervals: list[tuple[int, int]] = field(default_factory=list)  # inclusive, sorted, disjoint

    @classmethod
    def of(cls, *networks: Network | str, version: int | None = None) -> "AddressSet":
        nets = [ipaddress.ip_network(n, strict=False) if isinstance(n, str) else n for n in networks]
        v = version or (nets[0].version if nets else 4)
        out = cls(v)
        for n in nets:
            if n.version == v:
                out = out.union(cls(v, [(int(n.network_address), int(n.broadcast_address))]))
        return out

    @classmethod
    def everything(cls, version: int) -> "AddressSet":
        return cls.of("0.0.0.0/0" if version == 4 else "::/0")

    def union(self, other: "AddressSet") -> "AddressSet":
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(self.intervals + other.intervals):
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return AddressSet(self.version, merged)

    def intersection(self, other: "AddressSet") -> "AddressSet":
        out: list[tuple[int, int]] = []
        for a_lo, a_hi in self.intervals:
            for b_lo, b_hi in other.intervals:
                lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
                if lo <= hi:
                    out.append((lo, hi))
        return AddressSet(self.version, sorted(out))

    def minus(self, other: "AddressSet") -> "AddressSet":
        out = list(self.intervals)
        for b_lo, b_hi in other.intervals:
            nxt: list[tuple[int, int]] = []
            for lo, hi in out:
                if b_hi < lo or b_lo > hi:
                    nxt.append((lo, hi))
                    continue
                if lo < b_lo:
                    nxt.append((lo, b_lo - 1))
                if hi > b_hi:
                    nxt.append((b_hi + 1, hi))
            out = nxt
        return AddressSet(self.version, out)

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.intervals)

    def public(self) -> "AddressSet":
        if self.version == 4:
            return self.minus(_special_sets()[0])
        public6, not_public6 = _special_sets()[1:]
        return self.intersection(public6).minus(not_public6)

    def is_world(self) -> bool:
        threshold = WORLD_V4_ADDRESSES if self.version == 4 else WORLD_V6_ADDRESSES
        return self.public().size() >= threshold

    def networks(self) -> list[Network]:
        """The fewest CIDR blocks that spell this set, lowest first."""
        make = ipaddress.IPv4Address if self.version == 4 else ipaddress.IPv6Address
        return [n for lo, hi in self.intervals for n in ipaddress.summarize_address_range(make(lo), make(hi))]

    def covers(self, other: "AddressSet") -> bool:
        return not other.minus(self)

    def describe(self, limit: int = 2) -> str:
        """The set as its first CIDR blocks: the learner can paste them into a rule or a revoke."""
        nets = self.networks()
        if len(nets) > limit:  # "0.0.0.0/0 except 10.40.0.0/16" reads better than 16 blocks
            everything = AddressSet.everything(self.version)
            hole = everything.minus(self).networks()
            if len(hole) <= limit:
                return f"{everything.networks()[0]} except {', '.join(str(n) for n in hole)}"
        text = ", ".join(str(n) for n in nets[:limit])
        return text + (f" and {len(nets) - limit} more blocks" if len(nets) > limit else "")

    def __bool__(self) -> bool:
        return bool(self.intervals)


@lru_cache(maxsize=1)
def _special_sets() -> tuple[AddressSet, AddressSet, AddressSet]:
    return AddressSet.of(*_NOT_PUBLIC_V4), AddressSet.of(*_PUBLIC_V6), AddressSet.of(*_NOT_PUBLIC_V6)


@lru_cache(maxsize=8192)
def is_world(network: Network | str) -> bool:
    return AddressSet.of(network).is_world()


@lru_cache(maxsize=8192)
def public_size(network: Network) -> int:
    return AddressSet.of(network).public().size()
