"""Security-group rules normalised to (protocol, port interval, source): the one network rule model.

Every spelling AWS accepts ends up the same, for the audit checks and the lab objectives alike:
- protocol "-1" (or "all") is every protocol and every port; "6"/"tcp", "17"/"udp", "1"/"icmp" and
  "58"/"icmpv6" are the same protocols; any other IANA number is kept as its number;
- TCP/UDP ports come from FromPort..ToPort, a missing or -1 bound meaning every port, a reversed
  range read as written the other way round;
- ICMP and ICMPv6 use FromPort as the ICMP type (-1: every type; the code is not modelled, so a rule
  for one type admits every code of it); other protocols have no ports;
- ICMP travels only over IPv4 and ICMPv6 only over IPv6, so "icmp from ::/0" admits nothing;
- a source is an IPv4 or IPv6 network, a security group (by id, or by name inside its VPC, or the
  group itself) or a prefix list, which the snapshot resolves to its entries: a rule naming a
  customer-managed list holding 10.0.0.0/16 trusts 10.0.0.0/16.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator

from ztlab.network.addresses import AddressSet, Network, is_world, parse_network, public_size

ALL_PORTS = (0, 65535)
ICMP_TYPES = (0, 255)
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
PORTED = ("tcp", "udp")
TYPED = ("icmp", "icmpv6")
# The address family a protocol travels over; absent means both.
FAMILY = {"icmp": 4, "icmpv6": 6}


def normalise_protocol(value: Any) -> str:
    text = str(value if value is not None else "-1").strip().lower()
    return _PROTOCOL_NAMES.get(text, text)


def port_space(protocol: str) -> tuple[int, int]:
    """Every "port" a protocol has: TCP/UDP ports, ICMP types, or one slot for port-less protocols."""
    return ICMP_TYPES if protocol in TYPED else ALL_PORTS


@dataclass(frozen=True)
class Rule:
    group_id: str
    direction: str  # "ingress" | "egress"
    protocol: str  # "-1" (all), "tcp", "udp", "icmp", "icmpv6" or an IANA number
    ports: tuple[int, int]  # TCP/UDP ports, ICMP types; ALL_PORTS for other protocols
    network: Network | None = None  # a CIDR source, or one entry of a resolved prefix list
    group_ref: str | None = None  # a group id (a name when the snapshot cannot resolve it)
    prefix_list: str | None = None  # set with `network` None when the list could not be resolved
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

    def carries(self, protocol: str, version: int) -> bool:
        """Whether this rule's network source can carry `protocol` at all (ICMP is IPv4-only...)."""
        return self.network is not None and self.network.version == version and FAMILY.get(protocol, version) == version

    @property
    def self_reference(self) -> bool:
        return self.group_ref is not None and self.group_ref == self.group_id

    def source_text(self) -> str:
        if self.prefix_list and self.network is not None:
            return f"{self.prefix_list} ({self.network})"
        if self.network is not None:
            return str(self.network)
        if self.self_reference:
            return f"{self.group_ref} (the group itself)"
        return self.group_ref or self.prefix_list or "?"

    def port_text(self) -> str:
        if self.protocol == "-1":
            return "all traffic"
        if self.protocol in TYPED:
            name = self.protocol.upper().replace("V6", "v6")
            return f"all {name}" if self.ports == ICMP_TYPES else f"{name} type {self.ports[0]}"
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
    if protocol in TYPED:
        kind = permission.get("FromPort")
        if kind is None or int(kind) < 0:
            return ICMP_TYPES
        return (int(kind), int(kind))
    if protocol not in PORTED:
        return ALL_PORTS
    lo, hi = permission.get("FromPort"), permission.get("ToPort")
    if lo is None or hi is None or int(lo) < 0 or int(hi) < 0:
        return ALL_PORTS
    lo, hi = int(lo), int(hi)
    return (min(lo, hi), max(lo, hi))


_RULES_MEMO: dict[tuple[int, str, int], tuple[dict[str, Any], Any, list[Rule]]] = {}


def group_rules(group: dict[str, Any], direction: str = "ingress", snapshot: Any = None) -> list[Rule]:
    """The rules of one security group (describe-security-groups shape), one per source.

    With the snapshot, prefix lists become one rule per entry and group names become ids. Memoised
    per group and snapshot object (every network check asks for the same groups); the memo keeps both
    alive, so their ids cannot be reused while the entry exists.
    """
    key = (id(group), direction, id(snapshot))
    hit = _RULES_MEMO.get(key)
    if hit is not None and hit[0] is group and hit[1] is snapshot:
        return hit[2]
    if len(_RULES_MEMO) > 20000:
        _RULES_MEMO.clear()
    rules = _group_rules(group, direction, snapshot)
    _RULES_MEMO[key] = (group, snapshot, rules)
    return rules


def _group_rules(group: dict[str, Any], direction: str, snapshot: Any) -> list[Rule]:
    key = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"
    gid = group.get("GroupId", "")
    out: list[Rule] = []
    for i, perm in enumerate(group.get(key) or []):
        protocol = normalise_protocol(perm.get("IpProtocol"))
        ports = _ports(perm, protocol)
        base = f"/{key}/{i}"
        for j, r in enumerate(perm.get("IpRanges") or []):
            out.append(Rule(gid, direction, protocol, ports, network=parse_network(r.get("CidrIp") or ""),
                            pointer=f"{base}/IpRanges/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("Ipv6Ranges") or []):
            out.append(Rule(gid, direction, protocol, ports, network=parse_network(r.get("CidrIpv6") or ""),
                            pointer=f"{base}/Ipv6Ranges/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("UserIdGroupPairs") or []):
            ref = r.get("GroupId") or _group_id_by_name(snapshot, group.get("VpcId"), r.get("GroupName")) or r.get("GroupName")
            out.append(Rule(gid, direction, protocol, ports, group_ref=ref,
                            pointer=f"{base}/UserIdGroupPairs/{j}", description=r.get("Description", "")))
        for j, r in enumerate(perm.get("PrefixListIds") or []):
            rule = Rule(gid, direction, protocol, ports, prefix_list=r.get("PrefixListId"),
                        pointer=f"{base}/PrefixListIds/{j}", description=r.get("Description", ""))
            entries = prefix_list_networks(snapshot, rule.prefix_list)
            out.extend([replace(rule, network=n) for n in entries] if entries else [rule])
    return out


def _group_id_by_name(snapshot: Any, vpc_id: str | None, name: str | None) -> str | None:
    """A group named in a rule by name only: names are unique inside one VPC."""
    if snapshot is None or not name:
        return None
    for g in snapshot.ec2.security_groups:
        if g.get("GroupName") == name and g.get("VpcId") == vpc_id:
            return g.get("GroupId")
    return None


def prefix_list_networks(snapshot: Any, prefix_list_id: str | None) -> list[Network]:
    """The CIDRs a managed prefix list holds, read from the snapshot ([] when unknown)."""
    if snapshot is None or not prefix_list_id:
        return []
    found = snapshot.ec2.prefix_list(prefix_list_id)
    if not found:
        return []
    return [n for n in (parse_network(e.get("Cidr") or "") for e in found.get("Entries") or []) if n is not None]


def world_rules(rules: Iterable[Rule], port: int | None = None, protocol: str = "tcp",
                port_range: tuple[int, int] | None = None) -> list[Rule]:
    """The CIDR rules that together open `port` (or any port of `port_range`) to the world; [] when not.

    Sources are united per IP version first, so two halves of the internet count as the world too.
    """
    lo, hi = port_range if port_range else (port, port)
    relevant = [r for r in rules if r.network is not None and r.overlaps(lo, hi, protocol)]
    out: list[Rule] = []
    for version in (4, 6):
        mine = [r for r in relevant if r.carries(protocol, version) and public_size(r.network) > 0]
        if not mine:
            continue
        if any(is_world(r.network) for r in mine) or AddressSet.of(*[r.network for r in mine], version=version).is_world():
            out.extend(mine)
    return out


def world_open_ports(rules: Iterable[Rule], protocol: str = "tcp") -> list[tuple[int, int, list[Rule]]]:
    """Port segments of `protocol` open to the world, with the rules that open each one."""
    cidr = [r for r in rules if r.network is not None and (r.protocol == "-1" or r.protocol == protocol)]
    space = port_space(protocol)
    cuts = {space[0], space[1] + 1}
    for r in cidr:
        lo, hi = (space if r.protocol == "-1" else r.ports)
        cuts.update((lo, hi + 1))
    edges = sorted(c for c in cuts if space[0] <= c <= space[1] + 1)
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


def vpc_networks(snapshot: Any, vpc_id: str | None) -> list[Network]:
    """Every IPv4 and IPv6 block of a VPC (a VPC that gained IPv6 has both)."""
    vpc = snapshot.ec2.vpc(vpc_id) if vpc_id else None
    if not vpc:
        return []
    cidrs = [a.get("CidrBlock") for a in vpc.get("CidrBlockAssociationSet") or []] or [vpc.get("CidrBlock")]
    cidrs += [a.get("Ipv6CidrBlock") for a in vpc.get("Ipv6CidrBlockAssociationSet") or []]
    return [n for n in (parse_network(c) for c in cidrs if c) if n is not None]


def rule_evidence(rules: Iterable[Rule]) -> dict[str, Any]:
    rules = list(rules)
    return {
        "pointers": [r.pointer for r in rules],
        "rules": [r.describe() for r in rules],
    }
