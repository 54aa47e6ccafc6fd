"""Security-group and network-ACL rules normalised to (protocol, port interval, source).

Every spelling AWS accepts ends up the same: protocol "-1" means every protocol and every port,
"6"/"tcp" are the same protocol, a missing port range means all ports, a range covers every port it
spans. Sources are IPv4 / IPv6 networks, security-group references or prefix lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ztlab.checks.network._addresses import AddressSet, Network, parse_network

ALL_PORTS = (0, 65535)
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
PORTED = ("tcp", "udp")


def normalise_protocol(value: Any) -> str:
    text = str(value if value is not None else "-1").strip().lower()
    return _PROTOCOL_NAMES.get(text, text)


@dataclass(frozen=True)
class Rule:
    group_id: str
    direction: str  # "ingress" | "egress"
    protocol: str  # "-1" (all), "tcp", "udp", "icmp", ... or an IANA number
    ports: tuple[int, int]
    network: Network | None = None
    group_ref: str | None = None
    prefix_list: str | None = None
    pointer: str = ""
    description: str = ""

    @property
    def all_traffic(self) -> bool:
        """Every protocol, or every port of TCP or UDP."""
        return self.protocol == "-1" or (self.protocol in PORTED and self.ports == ALL_PORTS)

    def covers(self, port: int, protocol: str = "tcp") -> bool:
        if self.protocol == "-1":
            return True
        return self.protocol == protocol and self.ports[0] <= port <= self.ports[1]

    def overlaps(self, lo: int, hi: int, protocol: str = "tcp") -> bool:
        if self.protocol == "-1":
            return True
        return self.protocol == protocol and self.ports[0] <= hi and lo <= self.ports[1]

    @property
    def self_reference(self) -> bool:
        return self.group_ref is not None and self.group_ref == self.group_id

    def source_text(self) -> str:
        if self.network is not None:
            return str(self.network)
        return self.group_ref or self.prefix_list or "?"

    def port_text(self) -> str:
        if self.protocol == "-1":
            return "all traffic"
        if self.protocol not in PORTED:
            return f"protocol {self.protocol}"
        lo, hi = self.ports
        if (lo, hi) == ALL_PORTS:
            return f"all {self.protocol.upper()} ports"
        return f"{self.protocol.upper()} {lo}" if lo == hi else f"{self.protocol.upper()} {lo}-{hi}"

    def describe(self) -> str:
        arrow = "from" if self.direction == "ingress" else "to"
        return f"{self.port_text()} {arrow} {self.source_text()}"


def _ports(permission: dict[str, Any], protocol: str) -> tuple[int, int]:
    if protocol not in PORTED:
        return ALL_PORTS
    lo, hi = permission.get("FromPort"), permission.get("ToPort")
    if lo is None or hi is None or int(lo) < 0 or int(hi) < 0:
        return ALL_PORTS
    lo, hi = int(lo), int(hi)
    return (min(lo, hi), max(lo, hi))


def group_rules(group: dict[str, Any], direction: str = "ingress") -> list[Rule]:
    """The rules of one security group (describe-security-groups shape), one per source."""
    key = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"
    gid = group.get("GroupId", "")
    out: list[Rule] = []
    for i, perm in enumerate(group.get(key) or []):
        protocol = normalise_protocol(perm.get("IpProtocol"))
        ports = _ports(perm, protocol)
        base = f"/{key}/{i}"
        for j, r in enumerate(perm.get("IpRanges") or []):
            out.append(Rule(gid, direction, protocol, ports, network=parse_network(r.get("CidrIp", "")),
                            pointer=f"{base}/IpRanges/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("Ipv6Ranges") or []):
            out.append(Rule(gid, direction, protocol, ports, network=parse_network(r.get("CidrIpv6", "")),
                            pointer=f"{base}/Ipv6Ranges/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("UserIdGroupPairs") or []):
            out.append(Rule(gid, direction, protocol, ports, group_ref=r.get("GroupId") or r.get("GroupName"),
                            pointer=f"{base}/UserIdGroupPairs/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("PrefixListIds") or []):
            out.append(Rule(gid, direction, protocol, ports, prefix_list=r.get("PrefixListId"),
                            pointer=f"{base}/PrefixListIds/{j}", description=r.get("Description", "")))
    return out


def world_rules(rules: Iterable[Rule], port: int | None = None, protocol: str = "tcp",
                port_range: tuple[int, int] | None = None) -> list[Rule]:
    """The CIDR rules that together open `port` (or any port of `port_range`) to the world; [] when not.

    Sources are united per IP version first, so two halves of the internet count as the world too.
    """
    lo, hi = port_range if port_range else (port, port)
    relevant = [r for r in rules if r.network is not None and r.overlaps(lo, hi, protocol)]
    out: list[Rule] = []
    for version in (4, 6):
        mine = [r for r in relevant if r.network.version == version]
        if mine and AddressSet.of(*[r.network for r in mine], version=version).is_world():
            out.extend(r for r in mine if AddressSet.of(r.network).public().size() > 0)
    return out


def world_open_ports(rules: Iterable[Rule], protocol: str = "tcp") -> list[tuple[int, int, list[Rule]]]:
    """Port segments of `protocol` open to the world, with the rules that open each one."""
    cidr = [r for r in rules if r.network is not None and (r.protocol == "-1" or r.protocol == protocol)]
    cuts = {0, 65536}
    for r in cidr:
        lo, hi = (ALL_PORTS if r.protocol == "-1" else r.ports)
        cuts.update((lo, hi + 1))
    edges = sorted(c for c in cuts if 0 <= c <= 65536)
    out: list[tuple[int, int, list[Rule]]] = []
    for lo, nxt in zip(edges, edges[1:]):
        opened = world_rules(cidr, protocol=protocol, port_range=(lo, nxt - 1))
        # A segment is open only if the union is world for every port in it: segments never straddle a cut.
        if opened:
            if out and out[-1][1] == lo - 1 and out[-1][2] == opened:
                out[-1] = (out[-1][0], nxt - 1, opened)
            else:
                out.append((lo, nxt - 1, opened))
    return out


def security_groups(snapshot: Any) -> Iterator[dict[str, Any]]:
    yield from snapshot.ec2.security_groups


def sg_arn(snapshot: Any, group: dict[str, Any]) -> str:
    owner = group.get("OwnerId") or snapshot.account_id
    return f"arn:aws:ec2:{snapshot.region}:{owner}:security-group/{group.get('GroupId', '')}"


def sg_label(group: dict[str, Any]) -> str:
    name = group.get("GroupName")
    return f"{group.get('GroupId')} ({name})" if name else str(group.get("GroupId"))


def sg_ids(group: dict[str, Any]) -> list[str]:
    return [group.get("GroupId", ""), group.get("GroupName", "")]


def rule_evidence(rules: Iterable[Rule]) -> dict[str, Any]:
    rules = list(rules)
    return {
        "pointers": [r.pointer for r in rules],
        "rules": [r.describe() for r in rules],
    }
