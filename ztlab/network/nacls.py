"""Network ACLs: the stateless subnet filter, decided over whole address sets.

A network ACL is evaluated per packet at a subnet's border, in each direction on its own: its entries
of that direction are tried in rule-number order, the first entry whose protocol, port (the packet's
destination port; for ICMP its type) and CIDR match decides, and a packet no entry matches is denied
(the `*` rule). Traffic between two addresses of the same subnet never crosses the border.
Being stateless, an ACL must also let the reply through: a TCP connection to port P works only if
the reply to the client's ephemeral port passes the way back.

`admitted` answers "which addresses does this ACL let through for this protocol and port?" exactly:
addresses are walked through the entries in order, each entry taking what is still undecided, so a
deny numbered before an allow wins and an allow before a deny wins. `decide` answers the same for
one packet and names the entry that decides it, so a verdict can point at the rule to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ztlab.network.addresses import AddressSet, Network, parse_network
from ztlab.network.rules import ALL_PORTS, ICMP_TYPES, PORTED, TYPED, normalise_protocol

# Any client port a connection may come from (what AWS tells ACL authors to open for replies), and the
# ports real clients do use: Linux 32768-60999 and Windows 49152-65535. A forbidden flow counts as
# open when a reply can pass on any port of the first; a needed flow works only when replies pass on
# every port of the second.
EPHEMERAL = (1024, 65535)
CLIENT_PORTS = (32768, 65535)
DEFAULT_RULE = 32767  # the `*` entry: what no numbered entry matches is denied


@dataclass(frozen=True)
class AclEntry:
    acl_id: str
    number: int
    egress: bool
    protocol: str  # as in the rule model: "-1", "tcp", "udp", "icmp", "icmpv6" or an IANA number
    ports: tuple[int, int]  # TCP/UDP destination ports, ICMP types; ALL_PORTS for other protocols
    network: Network | None
    allow: bool
    index: int  # its place in the ACL's Entries as read

    def matches(self, protocol: str, port: int) -> bool:
        """Whether this entry applies to a packet of `protocol` to `port` ("other": a protocol no entry names)."""
        if self.protocol == "-1":
            return True
        return self.protocol == protocol and self.ports[0] <= port <= self.ports[1]

    def describe(self) -> str:
        """`acl-1 rule 90 (outbound deny)`: what the learner finds in the console and passes to the CLI."""
        return rule_text(self.acl_id, self.number, self.egress, self.allow)


def rule_text(acl_id: str, number: int, egress: bool, allow: bool) -> str:
    shown = "*" if number == DEFAULT_RULE else str(number)  # AWS lists the catch-all deny as rule *
    return f"{acl_id} rule {shown} ({'outbound' if egress else 'inbound'} {'allow' if allow else 'deny'})"


def _entry_ports(entry: dict[str, Any], protocol: str) -> tuple[int, int]:
    if protocol in TYPED:
        kind = (entry.get("IcmpTypeCode") or {}).get("Type")
        return ICMP_TYPES if kind is None or int(kind) < 0 else (int(kind), int(kind))
    if protocol not in PORTED:
        return ALL_PORTS
    ports = entry.get("PortRange") or {}
    lo, hi = ports.get("From"), ports.get("To")
    if lo is None or hi is None:
        return ALL_PORTS
    return (min(int(lo), int(hi)), max(int(lo), int(hi)))


class Acl:
    """One network ACL's entries, in evaluation order."""

    def __init__(self, acl: dict[str, Any]):
        self.id = acl.get("NetworkAclId", "")
        entries = []
        for i, e in enumerate(acl.get("Entries") or []):
            protocol = normalise_protocol(e.get("Protocol"))
            entries.append(AclEntry(
                self.id, int(e.get("RuleNumber", DEFAULT_RULE)), bool(e.get("Egress")), protocol, _entry_ports(e, protocol),
                parse_network(e.get("CidrBlock") or e.get("Ipv6CidrBlock") or ""),
                str(e.get("RuleAction", "")).lower() == "allow", i))
        self.entries = sorted(entries, key=lambda e: e.number)

    def applicable(self, egress: bool, protocol: str, port: int, version: int) -> list[AclEntry]:
        """The entries a packet of this direction, protocol, port and address family is tried against, in order."""
        return [e for e in self.entries if e.egress == egress and e.network is not None and e.network.version == version
                and e.matches(protocol, port)]

    def admitted(self, egress: bool, protocol: str, port: int, version: int) -> tuple[AddressSet, list[AclEntry]]:
        """The addresses (sources inbound, destinations outbound) whose packets pass, and the allow entries
        that pass them."""
        remaining, allowed, by = AddressSet.everything(version), AddressSet(version), []
        for entry in self.applicable(egress, protocol, port, version):
            hit = remaining.intersection(AddressSet.of(entry.network))
            if not hit:
                continue
            if entry.allow:
                allowed = allowed.union(hit)
                by.append(entry)
            remaining = remaining.minus(hit)  # first match wins: later entries never see these addresses
            if not remaining:
                break
        return allowed, by

    def decide(self, egress: bool, protocol: str, port: int, address: int, version: int) -> str:
        """The entry that decides one packet (to `address` outbound, from it inbound), described; the `*`
        rule when no numbered entry matches."""
        for entry in self.applicable(egress, protocol, port, version):
            if int(entry.network.network_address) <= address <= int(entry.network.broadcast_address):
                return entry.describe()
        return rule_text(self.id, DEFAULT_RULE, egress, False)

    def cuts(self, protocol: str) -> set[int]:
        """Port boundaries of this ACL's entries for `protocol`."""
        return {c for e in self.entries if e.protocol == protocol for c in (e.ports[0], e.ports[1] + 1)}

    def protocols(self) -> set[str]:
        return {e.protocol for e in self.entries}


def pieces(space: tuple[int, int], cuts: set[int]) -> list[tuple[int, int]]:
    """`space` cut at every boundary in `cuts`: each piece is decided the same for every port in it."""
    edges = sorted({space[0], space[1] + 1, *[c for c in cuts if space[0] < c <= space[1]]})
    return list(zip(edges, [c - 1 for c in edges[1:]]))


def needs_reply(protocol: str, every: bool) -> bool:
    """A forbidden TCP flow is harmless without a reply (no connection); a UDP or ICMP packet does its harm
    one way. A needed TCP or UDP service (a query and its answer) needs the reply."""
    return protocol == "tcp" or (every and protocol == "udp")


def subnet_acls(snapshot: Any) -> dict[str, Acl]:
    """Subnet id -> the ACL that filters it: its explicit association, else its VPC's default ACL."""
    acls = [Acl(a) for a in snapshot.ec2.network_acls]
    raw = {a.get("NetworkAclId"): a for a in snapshot.ec2.network_acls}
    out: dict[str, Acl] = {}
    for acl in acls:
        for assoc in raw[acl.id].get("Associations") or []:
            if assoc.get("SubnetId"):
                out[assoc["SubnetId"]] = acl
    defaults = {raw[a.id].get("VpcId"): a for a in acls if raw[a.id].get("IsDefault")}
    for subnet in snapshot.ec2.subnets:
        sid = subnet.get("SubnetId")
        if sid and sid not in out and subnet.get("VpcId") in defaults:
            out[sid] = defaults[subnet["VpcId"]]
    return out


__all__ = ["Acl", "AclEntry", "CLIENT_PORTS", "EPHEMERAL", "needs_reply", "pieces", "rule_text", "subnet_acls"]
