"""Subnet borders: where a tier's members sit, and what the network ACLs there let across.

A security group follows its members wherever they are; a network ACL filters by subnet. So a flow
between two tiers crosses an ACL only where their members sit in different subnets, and a tier's
placement has to be known before an ACL can be said to close anything. A tier sits in:
- the subnets the lab states (`placement`: what the briefing says of where the tier runs);
- every subnet where the snapshot shows a member: an instance in the group, a database's subnet group;
- with neither, any subnet of its VPC: a member may be launched anywhere, next to its peer included,
  where no ACL stands between them. Such a tier is "unplaced".

Two questions, each asked in one of two moods:
- `every=False` (may this forbidden flow happen?): open when some placement lets it through, a TCP
  flow only if its reply can come back on some client port;
- `every=True` (does this needed flow work?): it must work wherever the members sit, replies
  included on every port real clients use; for an unplaced tier, in some subnet of its VPC (the
  learner may put it where it works: a strict ACL on a subnet it need not use breaks nothing).
Addresses inside the VPC that a security group names are judged at the target's border only (their
own subnet's ACL is not modelled), which errs towards open for a forbidden flow.
"""

from __future__ import annotations

from typing import Any, Iterable

from ztlab.network.addresses import AddressSet, parse_network
from ztlab.network.nacls import CLIENT_PORTS, EPHEMERAL, Acl, AclEntry, needs_reply, pieces, subnet_acls
from ztlab.network.rules import FAMILY

Subnet = str | None  # None: a VPC without subnets, where no ACL applies


class Borders:
    def __init__(self, snapshot: Any, declared: dict[str, list[str]] | None = None):
        self.snapshot = snapshot
        self.declared = declared or {}
        self.acls = subnet_acls(snapshot)
        self.subnets = {s.get("SubnetId"): s for s in snapshot.ec2.subnets if s.get("SubnetId")}
        self._blocks: dict[tuple[Subnet, int], AddressSet] = {}
        self._admitted: dict[tuple, tuple[AddressSet, list[AclEntry]]] = {}

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

    # ------------------------------------------------------------ addresses <-> a tier
    def addresses(self, placement: tuple[Subnet, ...], inbound: bool, protocol: str, port: int, version: int,
                  every: bool, placed: bool = True) -> AddressSet:
        """The outside addresses whose traffic to (`inbound`) or from the tier crosses its subnets' ACLs:
        in some of its subnets, or (`every`, a placed tier) in all of them."""
        out: AddressSet | None = None
        for subnet in placement:
            passed = self.admitted(subnet, not inbound, protocol, port, version)[0]
            if needs_reply(protocol, every) and self._acl(subnet):
                space = CLIENT_PORTS if every else EPHEMERAL
                replies = AddressSet.everything(version) if every else AddressSet(version)
                for lo, _hi in pieces(space, self._cuts(subnet, protocol=protocol)):
                    back = self.admitted(subnet, inbound, protocol, lo, version)[0]
                    replies = replies.intersection(back) if every else replies.union(back)
                passed = passed.intersection(replies)
            if subnet is not None:
                passed = passed.union(self.block(subnet, version))  # inside the subnet no ACL is crossed
            out = passed if out is None else (out.intersection(passed) if every and placed else out.union(passed))
        return out if out is not None else AddressSet.everything(version)

    # ------------------------------------------------------------ tier -> tier
    def edge(self, sources: tuple[Subnet, ...], targets: tuple[Subnet, ...], protocol: str, port: int, every: bool,
             placed: tuple[bool, bool] = (True, True)) -> bool:
        """Whether traffic from a member of one tier to a member of another crosses the ACLs between them:
        for some pair of their subnets, or (`every`) for every subnet of a placed tier."""
        def over(subnets: tuple[Subnet, ...], known: bool, works) -> bool:
            return all(map(works, subnets)) if every and known else any(map(works, subnets))
        return over(sources, placed[0], lambda s: over(
            targets, placed[1], lambda t: self.crosses(s, t, protocol, port, every) is None))

    def crosses(self, s: Subnet, t: Subnet, protocol: str, port: int, every: bool) -> str | None:
        """None when traffic from subnet `s` to subnet `t` gets through (and back, where a reply is needed);
        else why not, naming the ACL entry or the missing one."""
        if s == t or (self._acl(s) is None and self._acl(t) is None):
            return None
        versions = [v for v in (4, 6) if FAMILY.get(protocol, v) == v and self.block(s, v) and self.block(t, v)]
        if not versions:
            return f"subnets {s} and {t} share no address family for it"
        why = None
        for version in versions[:1] if every else versions:
            why = self._crosses(s, t, protocol, port, version, every)
            if why is None:
                return None
        return why

    def _crosses(self, s: Subnet, t: Subnet, protocol: str, port: int, version: int, every: bool) -> str | None:
        here, there = self.block(s, version), self.block(t, version)

        def through(addresses: AddressSet, subnet: Subnet, egress: bool, p: int) -> AddressSet:
            return addresses.intersection(self.admitted(subnet, egress, protocol, p, version)[0])

        def enough(passed: AddressSet, wanted: AddressSet) -> bool:
            return passed.covers(wanted) if every else bool(passed)

        sent = through(there, s, True, port)  # leaves s towards t's addresses
        taken = through(here, t, False, port)  # enters t from s's addresses
        if not enough(sent, there):
            return f"the network ACL of {s} ({self._acl(s).id}) refuses it outbound"
        if not enough(taken, here):
            return f"the network ACL of {t} ({self._acl(t).id}) refuses it inbound"
        if not needs_reply(protocol, every):
            return None
        space = CLIENT_PORTS if every else EPHEMERAL
        for lo, hi in pieces(space, self._cuts(s, t, protocol=protocol)):
            back_out = through(taken, t, True, lo)  # the reply leaves t towards the client port
            back_in = through(sent, s, False, lo)  # and enters s
            ok = enough(back_out, here) and enough(back_in, there)
            if every and not ok:
                side = f"{t} ({self._acl(t).id}) outbound" if not enough(back_out, here) else f"{s} ({self._acl(s).id}) inbound"
                return f"its reply to client ports {lo}-{hi} is refused by the network ACL of {side}"
            if ok and not every:
                return None
        return None if every else f"no reply to a client port ({space[0]}-{space[1]}) gets back through the network ACLs"

    def cuts(self, protocol: str) -> set[int]:
        return {c for acl in self.acls.values() for c in acl.cuts(protocol)}

    def protocols(self) -> set[str]:
        return {p for acl in self.acls.values() for p in acl.protocols()}


__all__ = ["Borders", "Subnet"]
