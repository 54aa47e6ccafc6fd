"""Subnet borders: where a tier's members sit, and what the network ACLs there let across.

A security group follows its members wherever they are; a network ACL filters by subnet, each packet
as it leaves one subnet and as it enters another. Traffic between two addresses of one subnet crosses
no ACL. So a flow between two tiers crosses ACLs only where their members sit in different subnets,
and a tier's placement has to be known before an ACL can be said to close anything. A tier sits in:
- the subnets the lab states (`placement`: what the briefing says of where the tier runs);
- every subnet where the snapshot shows a member: an instance in the group, a database's subnet group;
- with neither, any subnet of its VPC: a member may be launched anywhere, next to its peer included,
  where no ACL stands between them. Such a tier is "unplaced".
An address a security group names (a CIDR source or destination) is judged by where it is:
- inside the tier's own subnet: no ACL is crossed;
- inside another subnet of the tier's VPC: through that subnet's ACL too, both ways (the request
  leaves there, a TCP reply comes back in there on the client's port) as well as through the tier's;
- anywhere else (outside the VPC, or in its space no subnet holds): through the tier's ACL only.

Two questions, each asked in one of two moods:
- `every=False` (may this forbidden flow happen?): open when some placement lets it through, a TCP
  flow only if its reply can come back on some client port (1024-65535) through every ACL on the way;
- `every=True` (does this needed flow work?): it must work wherever the members sit, replies
  included on every port real clients use (32768-65535); for an unplaced tier, in some subnet of its
  VPC (the learner may put it where it works: a strict ACL on a subnet it need not use breaks nothing).
Each verdict can name the ACL entry behind it: the first-match entry that refuses a needed flow, or the
entries a forbidden one passes through (`refusal`, `passage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ztlab.network.addresses import AddressSet, parse_network
from ztlab.network.nacls import CLIENT_PORTS, EPHEMERAL, Acl, AclEntry, needs_reply, pieces, subnet_acls
from ztlab.network.rules import FAMILY

Subnet = str | None  # None: a VPC without subnets, where no ACL applies; for a peer address, no subnet of the VPC


@dataclass(frozen=True)
class Leg:
    """One packet crossing one subnet border: out of (`egress`) or into `subnet`, to `port`. At the tier's
    border (`at_tier`) the ACL matches the peer's address; at the peer's, the tier member's."""
    subnet: str
    egress: bool
    port: int
    at_tier: bool
    reply: bool = False


class Borders:
    def __init__(self, snapshot: Any, declared: dict[str, list[str]] | None = None):
        self.snapshot = snapshot
        self.declared = declared or {}
        self.acls = subnet_acls(snapshot)
        self.subnets = {s.get("SubnetId"): s for s in snapshot.ec2.subnets if s.get("SubnetId")}
        self._blocks: dict[tuple[Subnet, int], AddressSet] = {}
        self._admitted: dict[tuple, tuple[AddressSet, list[AclEntry]]] = {}
        self._passing_memo: dict[tuple, AddressSet] = {}
        self._reach_memo: dict[tuple, AddressSet] = {}

    # ------------------------------------------------------------ where members sit
    def placement(self, kind: str, ref: str, groups: Iterable[str], vpcs: Iterable[str]) -> tuple[tuple[Subnet, ...], bool]:
        """(the subnets its members sit in, whether that is known rather than "anywhere in the VPC")."""
        groups, vpcs = set(groups), list(vpcs)
        found = list(self.declared.get(ref if kind == "group" else f"rds:{ref}", []))
        for instance in self.snapshot.ec2.instances:
            if {g.get("GroupId") for g in instance.get("SecurityGroups") or []} & groups and instance.get("SubnetId"):
                found.append(instance["SubnetId"])
        for db in self.snapshot.rds.instances:
            in_groups = {g.get("VpcSecurityGroupId") for g in db.get("VpcSecurityGroups") or []} & groups
            if (kind == "database" and db.get("DBInstanceIdentifier") == ref) or (kind == "group" and in_groups):
                found += [s.get("SubnetIdentifier") for s in (db.get("DBSubnetGroup") or {}).get("Subnets") or []]
        found = [s for s in found if s in self.subnets]
        if found:
            return tuple(dict.fromkeys(found)), True
        anywhere = [sid for sid, s in self.subnets.items() if s.get("VpcId") in vpcs]
        return tuple(anywhere) or (None,), False

    def block(self, subnet: Subnet, version: int) -> AddressSet:
        """The subnet's addresses of one family (every address for a VPC without subnets)."""
        key = (subnet, version)
        if key not in self._blocks:
            if subnet is None:
                self._blocks[key] = AddressSet.everything(version)
            else:
                s = self.subnets[subnet]
                cidrs = [s.get("CidrBlock")] + [a.get("Ipv6CidrBlock") for a in s.get("Ipv6CidrBlockAssociationSet") or []]
                nets = [n for n in (parse_network(c) for c in cidrs if c) if n is not None]
                self._blocks[key] = AddressSet.of(*nets, version=version)
        return self._blocks[key]

    def neighbours(self, tier: Subnet, version: int) -> list[str]:
        """The other subnets of the tier's VPC holding addresses of this family (none when its own subnet
        holds none: a member cannot use that family there, and its flows keep the tier-side judgement)."""
        if tier is None or not self.block(tier, version):
            return []
        vpc = self.subnets[tier].get("VpcId")
        return [sid for sid, s in self.subnets.items() if sid != tier and s.get("VpcId") == vpc and self.block(sid, version)]

    def subnet_of(self, tier: Subnet, address: int, version: int) -> Subnet:
        """Where an address is, seen from the tier: its own subnet, a neighbour, or None (no subnet of the VPC)."""
        for subnet in ([tier] if tier is not None else []) + self.neighbours(tier, version):
            if any(lo <= address <= hi for lo, hi in self.block(subnet, version).intervals):
                return subnet
        return None

    # ------------------------------------------------------------ one ACL, memoised
    def admitted(self, subnet: Subnet, egress: bool, protocol: str, port: int, version: int) -> tuple[AddressSet, list[AclEntry]]:
        acl = self.acls.get(subnet) if subnet else None
        if acl is None:
            return AddressSet.everything(version), []
        key = (acl.id, egress, protocol, port, version)
        if key not in self._admitted:
            self._admitted[key] = acl.admitted(egress, protocol, port, version)
        return self._admitted[key]

    def _acl(self, subnet: Subnet) -> Acl | None:
        return self.acls.get(subnet) if subnet else None

    def _cuts(self, *subnets: Subnet, protocol: str) -> set[int]:
        return {c for s in subnets if self._acl(s) for c in self._acl(s).cuts(protocol)}

    # ------------------------------------------------------------ the way a packet goes
    def legs(self, tier: Subnet, peer: Subnet, inbound: bool, port: int, reply_port: int | None = None) -> list[Leg]:
        """The ACL borders between a member of the tier (in subnet `tier`) and a peer address (in subnet `peer`;
        None: in no subnet of the VPC), in the order a packet crosses them: the request (`inbound`: sent by the
        peer), then, given `reply_port`, the reply to the client's port. Inside one subnet there are none."""
        if tier == peer:
            return []
        (sender, sender_is_tier), (receiver, receiver_is_tier) = ((peer, False), (tier, True)) if inbound else ((tier, True), (peer, False))
        way = [Leg(sender, True, port, sender_is_tier), Leg(receiver, False, port, receiver_is_tier)]
        if reply_port is not None:
            way += [Leg(receiver, True, reply_port, receiver_is_tier, reply=True),
                    Leg(sender, False, reply_port, sender_is_tier, reply=True)]
        return [leg for leg in way if self._acl(leg.subnet)]

    def reply_ports(self, tier: Subnet, peer: Subnet, protocol: str, every: bool) -> list[int | None]:
        """One client port per piece of the reply space the ACLs decide alike; [None] when no reply counts."""
        if not needs_reply(protocol, every) or not (self._acl(tier) or self._acl(peer)):
            return [None]
        space = CLIENT_PORTS if every else EPHEMERAL
        return [lo for lo, _hi in pieces(space, self._cuts(tier, peer, protocol=protocol))]

    def _through(self, legs: list[Leg], protocol: str, version: int, peers: AddressSet,
                 members: AddressSet) -> tuple[AddressSet, AddressSet]:
        """What of the peer addresses, and of the addresses the member may have, every leg lets pass: the tier's
        ACL matches the peer's address, the peer's ACL the member's."""
        for leg in legs:
            passed = self.admitted(leg.subnet, leg.egress, protocol, leg.port, version)[0]
            if leg.at_tier:
                peers = peers.intersection(passed)
            else:
                members = members.intersection(passed)
        return peers, members

    @staticmethod
    def _members_pass(passed: AddressSet, members: AddressSet, every: bool) -> bool:
        """A member at some address of its subnet gets through (or, `every`, at each one). A subnet without
        addresses of this family leaves nothing for the peer's ACL to match: judged on the peer side alone."""
        return passed.covers(members) if every else bool(passed) or not members

    def _passing(self, tier: Subnet, peer: Subnet, inbound: bool, protocol: str, port: int, version: int,
                 every: bool) -> AddressSet:
        """The peer addresses whose traffic with a member of `tier` crosses every border on the way and whose
        reply crosses every border back: on some client port, or (`every`) on each one, from each address
        the member may have."""
        key = (tier, peer, inbound, protocol, port, version, every)
        if key not in self._passing_memo:
            members = self.block(tier, version)
            out = AddressSet.everything(version) if every else AddressSet(version)
            for reply_port in self.reply_ports(tier, peer, protocol, every):
                legs = self.legs(tier, peer, inbound, port, reply_port)
                peers, passed = self._through(legs, protocol, version, AddressSet.everything(version), members)
                got = peers if self._members_pass(passed, members, every) else AddressSet(version)
                out = out.intersection(got) if every else out.union(got)
            self._passing_memo[key] = out
        return self._passing_memo[key]

    def _reach(self, tier: Subnet, inbound: bool, protocol: str, port: int, version: int, every: bool) -> AddressSet:
        """Every address whose traffic to (`inbound`) or from a member of `tier` gets across the ACLs between them."""
        if tier is None:
            return AddressSet.everything(version)  # a VPC without subnets: no ACL anywhere
        key = (tier, inbound, protocol, port, version, every)
        if key not in self._reach_memo:
            own = self.block(tier, version)
            out, elsewhere = own, AddressSet.everything(version).minus(own)  # inside its subnet no ACL is crossed
            for peer in self.neighbours(tier, version):
                block = self.block(peer, version)
                out = out.union(block.intersection(self._passing(tier, peer, inbound, protocol, port, version, every)))
                elsewhere = elsewhere.minus(block)
            self._reach_memo[key] = out.union(elsewhere.intersection(
                self._passing(tier, None, inbound, protocol, port, version, every)))
        return self._reach_memo[key]

    # ------------------------------------------------------------ addresses <-> a tier
    def addresses(self, placement: tuple[Subnet, ...], inbound: bool, protocol: str, port: int, version: int,
                  every: bool, placed: bool = True) -> AddressSet:
        """The addresses whose traffic to (`inbound`) or from the tier crosses the ACLs on the way: from some
        of its subnets, or (`every`, a placed tier) from all of them."""
        out: AddressSet | None = None
        for subnet in placement:
            passed = self._reach(subnet, inbound, protocol, port, version, every)
            out = passed if out is None else (out.intersection(passed) if every and placed else out.union(passed))
        return out if out is not None else AddressSet.everything(version)

    def address_passage(self, placement: tuple[Subnet, ...], inbound: bool, protocol: str, port: int, version: int,
                        addresses: AddressSet) -> list[str]:
        """The ACL entries a forbidden flow between the tier and the first of `addresses` that gets across passes."""
        for tier in placement:
            reached = addresses.intersection(self._reach(tier, inbound, protocol, port, version, every=False))
            if reached:
                first = reached.intervals[0][0]
                return self.passage(tier, self.subnet_of(tier, first, version), inbound, protocol, port, version,
                                    AddressSet(version, [(first, first)]))
        return []

    def address_refusal(self, placement: tuple[Subnet, ...], inbound: bool, protocol: str, port: int, version: int,
                        gap: AddressSet) -> str | None:
        """Why a needed flow between the tier and the `gap` addresses fails: the first subnet of the tier
        where one of them does not get across, the border and the entry that refuse it."""
        for tier in placement:
            missing = gap.minus(self._reach(tier, inbound, protocol, port, version, every=True))
            if missing:
                first = missing.intervals[0][0]
                why = self.refusal(tier, self.subnet_of(tier, first, version), inbound, protocol, port, version,
                                   AddressSet(version, [(first, first)]))
                if why:
                    return f"for a member in {tier}, {why}"
        return None

    # ------------------------------------------------------------ naming the entries
    def passage(self, tier: Subnet, peer: Subnet, inbound: bool, protocol: str, port: int, version: int,
                peers: AddressSet) -> list[str]:
        """The entries a forbidden flow between a member of `tier` and one of `peers` (in subnet `peer`) passes,
        request then reply, on the first client port that gets back; [] when it crosses no ACL."""
        members = self.block(tier, version)
        for reply_port in self.reply_ports(tier, peer, protocol, every=False):
            legs = self.legs(tier, peer, inbound, port, reply_port)
            through_peers, through_members = self._through(legs, protocol, version, peers, members)
            if through_peers and self._members_pass(through_members, members, every=False):
                ends = {True: through_peers, False: through_members or members}
                first_reply = next((leg for leg in legs if leg.reply), None)
                return [(f"its reply to port {leg.port} by " if leg is first_reply else "")
                        + self._decision(leg, protocol, version, ends[leg.at_tier].intervals[0][0]) for leg in legs]
        return []

    def refusal(self, tier: Subnet, peer: Subnet, inbound: bool, protocol: str, port: int, version: int,
                wanted: AddressSet) -> str | None:
        """Why a needed flow between a member of `tier` and the `wanted` addresses (in subnet `peer`) fails: the
        first border on the way that refuses one of them, or the member at some address of its subnet, and the
        entry that decides it."""
        members = self.block(tier, version)
        for reply_port in self.reply_ports(tier, peer, protocol, every=True):
            for leg in self.legs(tier, peer, inbound, port, reply_port):
                passed = self.admitted(leg.subnet, leg.egress, protocol, leg.port, version)[0]
                left_out = (wanted if leg.at_tier else members).minus(passed)
                if left_out:
                    what = f"its reply to client port {leg.port}" if leg.reply else "it"
                    return (f"the network ACL of {leg.subnet} refuses {what}: "
                            f"{self._decision(leg, protocol, version, left_out.intervals[0][0])}")
        return None

    def _decision(self, leg: Leg, protocol: str, version: int, address: int) -> str:
        return self._acl(leg.subnet).decide(leg.egress, protocol, leg.port, address, version)

    # ------------------------------------------------------------ tier -> tier
    def edge(self, sources: tuple[Subnet, ...], targets: tuple[Subnet, ...], protocol: str, port: int, every: bool,
             placed: tuple[bool, bool] = (True, True)) -> bool:
        """Whether traffic from a member of one tier to a member of another crosses the ACLs between them:
        for some pair of their subnets, or (`every`) for every subnet of a placed tier."""
        def over(subnets: tuple[Subnet, ...], known: bool, works) -> bool:
            return all(map(works, subnets)) if every and known else any(map(works, subnets))
        return over(sources, placed[0], lambda s: over(
            targets, placed[1], lambda t: self.crosses(s, t, protocol, port, every) is None))

    def edge_passage(self, sources: tuple[Subnet, ...], targets: tuple[Subnet, ...], protocol: str, port: int) -> list[str]:
        """The entries a forbidden flow from one tier to another passes, for the first pair of subnets it gets
        across; [] when it gets across where no ACL stands (members sharing a subnet)."""
        pairs = sorted(((s, t) for s in sources for t in targets), key=lambda pair: pair[0] != pair[1])
        for s, t in pairs:
            if self.crosses(s, t, protocol, port, every=False) is None:
                for version in self._families(s, t, protocol):
                    entries = self.passage(t, s, True, protocol, port, version, self.block(s, version))
                    if entries:
                        return entries
                return []
        return []

    def _families(self, s: Subnet, t: Subnet, protocol: str) -> list[int]:
        return [v for v in (4, 6) if FAMILY.get(protocol, v) == v and self.block(s, v) and self.block(t, v)]

    def crosses(self, s: Subnet, t: Subnet, protocol: str, port: int, every: bool) -> str | None:
        """None when traffic from subnet `s` to subnet `t` gets through (and back, where a reply is needed);
        else why not, naming the ACL entry that refuses it."""
        if s == t or (self._acl(s) is None and self._acl(t) is None):
            return None
        versions = self._families(s, t, protocol)
        if not versions:
            return f"subnets {s} and {t} share no address family for it"
        why = None
        for version in versions[:1] if every else versions:
            senders = self.block(s, version)
            passing = self._passing(t, s, True, protocol, port, version, every).intersection(senders)
            if passing.covers(senders) if every else passing:
                return None
            why = (self.refusal(t, s, True, protocol, port, version, senders) if every else
                   f"no packet of it from {s} gets into {t} with a reply back through the network ACLs")
        return why

    def cuts(self, protocol: str) -> set[int]:
        return {c for acl in self.acls.values() for c in acl.cuts(protocol)}

    def protocols(self) -> set[str]:
        return {p for acl in self.acls.values() for p in acl.protocols()}


__all__ = ["Borders", "Subnet"]
