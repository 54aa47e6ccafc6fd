"""Who can reach what: every flow into or out of a security group or a database, over the whole space.

A flow is (source, target, protocol, port interval). It exists as AWS decides it:
- from addresses: the target's inbound rules admit them (IPv4 and IPv6, prefix lists resolved);
- between groups: the target's inbound rules admit the source AND the source's outbound rules allow
  the target. A rule admits a group when it names it (by id or name; a self reference names the
  group itself) or when its CIDR overlaps the group's VPC: an address range trusts whatever workload
  sits at those addresses, so only a group reference singles out a tier. Where the ACLs count, a
  CIDR admits the group's members only in the subnets holding addresses in it;
- a database is reached through every security group it is in (a restored database placed in the
  default group is reached by every member of the default group);
- and, when asked with `every`, the network ACLs on the way let it across, both ways where a reply is
  needed: those of the subnets the members sit in and, for an address inside another subnet of the
  VPC, that subnet's (ztlab.network.borders).

Ports are not sampled: each protocol's space (TCP/UDP 0-65535, ICMP types, every other protocol as
one slot) is cut at every rule and ACL entry boundary and each piece is decided once, so the answer holds for
every port, every address and every group of the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ztlab.network.addresses import AddressSet, Network, parse_network
from ztlab.network.borders import Borders, Subnet
from ztlab.network.rules import (
    FAMILY, PORTED, TYPED, Rule, group_rules, normalise_protocol, port_space, sg_label, vpc_networks,
)

BASE_PROTOCOLS = ("tcp", "udp", "icmp", "icmpv6")
# Every protocol a rule does not name: reachable only through protocol -1 rules.
OTHER = "other"


class Missing(LookupError):
    """The subject of a question no longer exists: a FAIL, never a vacuous PASS."""


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "group" | "database"
    id: str
    label: str
    groups: tuple[str, ...]  # the security groups whose rules apply to it
    vpcs: tuple[str, ...]
    subnets: tuple[Subnet, ...] = (None,)  # where its members sit (ztlab.network.borders)
    placed: bool = False  # the subnets are known, not "anywhere in its VPC"


@dataclass
class Edge:
    source: str  # an endpoint label or an address set's CIDRs
    target: str
    protocol: str
    ports: tuple[int, int]
    rules: list[Rule] = field(default_factory=list)  # the deciding rules: target inbound, then source outbound
    addresses: AddressSet | None = None
    acl: list[str] = field(default_factory=list)  # the network ACL entries it passes, request then reply

    def traffic(self) -> str:
        return traffic_text(self.protocol, self.ports)

    def describe(self) -> str:
        by = "; ".join(f"{'inbound' if r.direction == 'ingress' else 'outbound'} rule {r.describe()} of {r.group_id} "
                       f"({r.pointer})" for r in self.rules)
        text = f"{self.source} -> {self.target} on {self.traffic()}" + (f", opened by {by}" if by else "")
        return text + (f"; across network ACLs by {', '.join(self.acl)}" if self.acl else "")


def traffic_text(protocol: str, ports: tuple[int, int]) -> str:
    if protocol == OTHER:
        return "every other IP protocol"
    if protocol in TYPED:
        name = protocol.upper().replace("V6", "v6")
        return f"all {name}" if ports == port_space(protocol) else (
            f"{name} type {ports[0]}" if ports[0] == ports[1] else f"{name} types {ports[0]}-{ports[1]}")
    if protocol not in PORTED:
        return f"IP protocol {protocol}"
    lo, hi = ports
    if ports == port_space(protocol):
        return f"all {protocol.upper()} ports"
    return f"{protocol.upper()} {lo}" if lo == hi else f"{protocol.upper()} {lo}-{hi}"


def family_ok(protocol: str, version: int) -> bool:
    return FAMILY.get(protocol, version) == version


class NetworkModel:
    """The security groups, databases and VPC ranges of one snapshot, asked about flows."""

    def __init__(self, snapshot: Any, placement: dict[str, list[str]] | None = None):
        self.snapshot = snapshot
        self.groups = {g.get("GroupId"): g for g in snapshot.ec2.security_groups if g.get("GroupId")}
        self.borders = Borders(snapshot, placement)
        self._vpc_sets: dict[str, dict[int, AddressSet]] = {}
        self._edges: dict[tuple, tuple] = {}

    # ------------------------------------------------------------ endpoints
    def endpoint(self, ref: str) -> Endpoint:
        """`sg-...` (a security group) or `rds:<identifier>` (a database's groups); Missing when gone."""
        if ref.startswith("rds:"):
            ident = ref[4:]
            db = next((d for d in self.snapshot.rds.instances if d.get("DBInstanceIdentifier") == ident), None)
            if db is None:
                raise Missing(f"database {ident} no longer exists")
            groups = tuple(g.get("VpcSecurityGroupId") for g in db.get("VpcSecurityGroups") or []
                           if g.get("VpcSecurityGroupId") and str(g.get("Status", "active")).lower() != "removing")
            vpcs = tuple(dict.fromkeys(self.groups[g].get("VpcId", "") for g in groups if g in self.groups))
            where, placed = self.borders.placement("database", ident, groups, vpcs)
            return Endpoint("database", ident, f"database {ident}", groups, vpcs, where, placed)
        group = self.groups.get(ref)
        if group is None:
            raise Missing(f"security group {ref} no longer exists")
        vpcs = (group.get("VpcId", ""),)
        return Endpoint("group", ref, sg_label(group), (ref,), vpcs, *self.borders.placement("group", ref, (ref,), vpcs))

    def group_endpoints(self) -> list[Endpoint]:
        return [self.endpoint(gid) for gid in self.groups]

    def rules(self, endpoint: Endpoint, direction: str) -> list[Rule]:
        return [r for gid in endpoint.groups if gid in self.groups
                for r in group_rules(self.groups[gid], direction, self.snapshot)]

    def vpc_set(self, endpoint: Endpoint, version: int) -> AddressSet:
        """Where members of the endpoint may sit: every block of its VPCs."""
        out = AddressSet(version)
        for vpc in endpoint.vpcs:
            sets = self._vpc_sets.get(vpc)
            if sets is None:
                nets = vpc_networks(self.snapshot, vpc)
                sets = {v: AddressSet.of(*nets, version=v) for v in (4, 6)}
                self._vpc_sets[vpc] = sets
            out = out.union(sets[version])
        return out

    def peers(self, subjects: Iterable[Endpoint]) -> list[Endpoint]:
        """Groups that can take part in a flow with the subjects: same VPC, or named by a rule."""
        subjects = list(subjects)
        vpcs = {v for s in subjects for v in s.vpcs}
        named = {r.group_ref for s in subjects for d in ("ingress", "egress") for r in self.rules(s, d) if r.group_ref}
        return [e for e in self.group_endpoints() if set(e.vpcs) & vpcs or e.id in named]

    # ------------------------------------------------------------ traffic space
    def protocols(self, endpoints: Iterable[Endpoint]) -> list[str]:
        seen = {r.protocol for e in endpoints for d in ("ingress", "egress") for r in self.rules(e, d)} | self.borders.protocols()
        numbers = sorted(p for p in seen if p not in BASE_PROTOCOLS and p != "-1")
        return [*BASE_PROTOCOLS, *numbers, OTHER]

    def segments(self, protocol: str, endpoints: Iterable[Endpoint], extra_cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
        """The protocol's port space cut at every boundary of the endpoints' rules."""
        lo_all, hi_all = port_space(protocol)
        if protocol == OTHER or (protocol not in PORTED and protocol not in TYPED):
            return [(lo_all, hi_all)]
        cuts = {lo_all, hi_all + 1, *[c for c in [*extra_cuts, *self.borders.cuts(protocol)] if lo_all <= c <= hi_all + 1]}
        for e in endpoints:
            for d in ("ingress", "egress"):
                for r in self.rules(e, d):
                    if r.protocol == protocol:
                        cuts.update((r.ports[0], r.ports[1] + 1))
        edges = sorted(cuts)
        return list(zip(edges, [c - 1 for c in edges[1:]]))

    # ------------------------------------------------------------ single decisions
    @staticmethod
    def applies(rule: Rule, protocol: str, port: int) -> bool:
        if protocol == OTHER:
            return rule.protocol == "-1"
        return rule.covers(port, protocol)

    def addresses(self, endpoint: Endpoint, direction: str, protocol: str, port: int,
                  every: bool | None = None) -> dict[int, tuple[AddressSet, list[Rule]]]:
        """Per IP version, the addresses the endpoint's rules admit (inbound) or allow (outbound), and the rules.

        With `every` set, only those the network ACLs of its subnets let across too (see Borders: False
        asks whether a forbidden flow may happen, True whether a needed one works)."""
        out: dict[int, tuple[AddressSet, list[Rule]]] = {}
        for version in (4, 6):
            rules = [r for r in self.rules(endpoint, direction)
                     if r.network is not None and r.carries(protocol, version) and self.applies(r, protocol, port)]
            admitted = AddressSet.of(*[r.network for r in rules], version=version)
            if every is not None and admitted:
                admitted = admitted.intersection(self.borders.addresses(
                    endpoint.subnets, direction == "ingress", protocol, port, version, every, endpoint.placed))
            out[version] = (admitted, rules)
        return out

    def demanded(self, addresses: AddressSet, endpoint: Endpoint) -> AddressSet:
        """The addresses of a needed flow's range that must get through. A range inside the endpoint's VPC
        names those subnets on purpose: all of it, each address through its own subnet's ACL. A range reaching
        beyond the VPC (0.0.0.0/0: customers on the internet) is about clients outside it: the VPC's own
        subnets are workloads with intents of their own, and an ACL keeping one of them from this tier (the
        database subnet may not call the web tier) breaks nothing the range asks for."""
        inside = self.vpc_set(endpoint, addresses.version)
        return addresses if inside.covers(addresses) else addresses.minus(inside)

    def admits_peer(self, rule: Rule, other: Endpoint, protocol: str) -> bool:
        """Whether a rule lets members of `other` through: by reference, or by a CIDR over its VPC."""
        if rule.group_ref is not None:
            return rule.group_ref in other.groups
        if rule.network is None:
            return False
        version = rule.network.version
        return family_ok(protocol, version) and bool(self.vpc_set(other, version).intersection(AddressSet.of(rule.network)))

    def where_admitted(self, rule: Rule, other: Endpoint) -> tuple[Subnet, ...]:
        """The subnets of `other` whose members a rule lets through: all of them by group reference; by CIDR,
        those holding addresses in it (a member has an address of the subnet it sits in). A subnet with no block
        of the rule's family yet may be given one (an IPv6 range added to a dual-stack VPC): it counts, erring open."""
        if rule.group_ref is not None or rule.network is None:
            return other.subnets
        wanted = AddressSet.of(rule.network)

        def holds(subnet: Subnet) -> bool:
            block = self.borders.block(subnet, rule.network.version)
            return not block or bool(block.intersection(wanted))
        return tuple(s for s in other.subnets if s is None or holds(s))

    def _admitting(self, rules: list[Rule], other: Endpoint, protocol: str, port: int) -> tuple[Rule | None, tuple[Subnet, ...]]:
        """The first rule that lets members of `other` through on `port`, and the subnets of `other` where some
        rule does, in placement order."""
        first, where = None, set()
        for rule in rules:
            if self.applies(rule, protocol, port) and self.admits_peer(rule, other, protocol):
                first = first or rule
                where.update(self.where_admitted(rule, other))
        return first, tuple(s for s in other.subnets if s in where)

    def edge_subnets(self, source: Endpoint, target: Endpoint, protocol: str,
                     port: int) -> tuple[Rule | None, tuple[Subnet, ...], Rule | None, tuple[Subnet, ...]]:
        """(the target's inbound rule and the source's subnets it admits, the source's outbound rule and the
        target's subnets it allows): where members of each may sit for the flow to happen at all."""
        key = (source.kind, source.id, target.kind, target.id, protocol, port)
        if key not in self._edges:  # asked for the verdict, then again for its explanation
            inbound, sources = self._admitting(self.rules(target, "ingress"), source, protocol, port)
            outbound, targets = (self._admitting(self.rules(source, "egress"), target, protocol, port)
                                 if inbound is not None else (None, ()))  # most pairs stop here: no inbound rule
            self._edges[key] = (inbound, sources, outbound, targets)
        return self._edges[key]

    def edge_rules(self, source: Endpoint, target: Endpoint, protocol: str, port: int,
                   every: bool | None = None) -> list[Rule] | None:
        """The target's inbound rule and the source's outbound rule that let the flow happen, or None.
        With `every` set, None too when the network ACLs between their subnets stop it (see Borders), judged
        where the rules admit the members: a CIDR rule only where a subnet holds addresses in it. A needed
        flow of a placed tier must be admitted in every subnet it sits in."""
        inbound, sources, outbound, targets = self.edge_subnets(source, target, protocol, port)
        if inbound is None or outbound is None:
            return None
        if every is None:
            return [inbound, outbound]
        if every and ((source.placed and sources != source.subnets) or (target.placed and targets != target.subnets)):
            return None
        if not self.borders.edge(sources, targets, protocol, port, every, (source.placed, target.placed)):
            return None
        return [inbound, outbound]

    def edge_passage(self, source: Endpoint, target: Endpoint, protocol: str, port: int) -> list[str]:
        """The network ACL entries a forbidden flow from one tier to another passes, where the rules admit them."""
        _, sources, _, targets = self.edge_subnets(source, target, protocol, port)
        return self.borders.edge_passage(sources, targets, protocol, port)


_MODELS: dict[tuple, tuple[Any, NetworkModel]] = {}


def network_model(snapshot: Any, placement: dict[str, list[str]] | None = None) -> NetworkModel:
    """One model per snapshot object and stated placement (objectives of one lab check share it)."""
    key = (id(snapshot), tuple(sorted((k, tuple(v)) for k, v in (placement or {}).items())))
    hit = _MODELS.get(key)
    if hit is not None and hit[0] is snapshot:
        return hit[1]
    if len(_MODELS) > 64:
        _MODELS.clear()
    model = NetworkModel(snapshot, placement)
    _MODELS[key] = (snapshot, model)
    return model


def address_set(text: str) -> AddressSet | None:
    net = parse_network(text)
    return AddressSet.of(net) if net is not None else None


def parse_ports(value: Any, protocol: str) -> tuple[int, int]:
    """`443`, `"1024-65535"`, `"all"`/-1 (the protocol's whole space)."""
    text = str(value).strip().lower()
    if text in ("all", "-1", ""):
        return port_space(protocol)
    lo, _, hi = text.partition("-")
    lo_i, hi_i = int(lo), int(hi or lo)
    return (min(lo_i, hi_i), max(lo_i, hi_i))


__all__ = [
    "AddressSet", "Edge", "Endpoint", "Missing", "Network", "NetworkModel", "OTHER", "address_set", "network_model",
    "normalise_protocol", "parse_ports", "traffic_text",
]
