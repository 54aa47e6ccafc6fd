"""Reachability objectives, decided by the one network rule model (ztlab.checks.network).

`flows` asks sampled questions ("may the web tier reach the database on 5432?"); a CIDR source
counts when a rule admits any of its addresses, which errs on the open side: the safe side for a
"must be closed" flow. `exactly` states the whole intended traffic of some tiers and proves it over
every protocol, port, IPv4/IPv6 address and security group of the account: the first flow that is
not intended (or an intended one that is missing) fails the objective, with the rules that decide it
and the network ACL entries: those an unintended flow passes, the one that refuses a missing flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from ztlab.network.flows import (
    OTHER, AddressSet, Edge, Endpoint, Missing, NetworkModel, address_set, network_model, parse_ports, traffic_text,
)
from ztlab.content.models.lab import ExactReachability, Flow, ReachabilityObjective, ServiceRoute
from ztlab.network.routes import subnet_path
from ztlab.labs.references import resolve
from ztlab.labs.results import Verdict
from ztlab.snapshot import AccountSnapshot



def flow_is_open(model: NetworkModel, flow: Flow) -> tuple[bool, list[str]]:
    """(open?, the rules and network ACL entries it passes). Raises Missing for a group or database that
    does not exist.

    A flow that must be open has to work wherever the tiers sit, through the network ACLs both ways; one
    that must be closed counts as open when it gets through for some placement."""
    every = flow.expect == "open"
    target = model.endpoint(flow.target)
    addresses = address_set(flow.source)
    if addresses is not None:
        admitted, rules = model.addresses(target, "ingress", flow.protocol, flow.port, every)[addresses.version]
        reached = admitted.intersection(addresses)
        rules = [r for r in rules if AddressSet.of(r.network).intersection(addresses)] if reached else []
        acl = model.borders.address_passage(target.subnets, True, flow.protocol, flow.port, addresses.version, reached) if reached else []
        return bool(rules), [f"{target.label} inbound {r.describe()}" for r in rules] + _acl_text(acl)
    source = model.endpoint(flow.source)
    rules = model.edge_rules(source, target, flow.protocol, flow.port, every)
    if rules is None:
        return False, []
    acl = model.edge_passage(source, target, flow.protocol, flow.port)
    return True, [f"{target.label} inbound {rules[0].describe()}", f"{source.label} outbound {rules[1].describe()}"] + _acl_text(acl)


def _acl_text(entries: list[str]) -> list[str]:
    return [f"network ACLs {', '.join(entries)}"] if entries else []


def why_closed(model: NetworkModel, flow: Flow) -> str:
    """Why a flow that must be open is not: the missing rule, or the network ACL entry that refuses it."""
    target = model.endpoint(flow.target)
    addresses = address_set(flow.source)
    if addresses is None:
        return _which_side(model, model.endpoint(flow.source), target, flow.protocol, flow.port)
    admitted = model.addresses(target, "ingress", flow.protocol, flow.port)[addresses.version][0].intersection(addresses)
    return _address_gap(model, target, True, flow.protocol, flow.port, admitted or addresses)


def _sampled(model: NetworkModel, flows: list[Flow]) -> tuple[list[str], list[str], list[dict]]:
    problems, where, evidence = [], [], []
    for flow in flows:
        label = f"{flow.source} -> {flow.target} on {flow.protocol}/{flow.port}"
        try:
            is_open, rules = flow_is_open(model, flow)
        except Missing as exc:
            problems.append(f"{label}: {exc}")
            where.append(flow.target)
            continue
        if is_open != (flow.expect == "open"):
            if is_open:
                problems.append(f"{label} is open but must be closed" + (f" (by {'; '.join(rules)})" if rules else ""))
                evidence.append({"flow": flow.model_dump(), "open": True, "rules": rules})
            else:
                why = why_closed(model, flow)
                problems.append(f"{label} is closed but must be open: {why}")
                evidence.append({"flow": flow.model_dump(), "open": False, "why": why})
            where.append(flow.target)
    return problems, where, evidence


def _routes(snapshot: AccountSnapshot, routes: list[ServiceRoute]) -> tuple[list[str], list[str], list[dict]]:
    problems, where, evidence = [], [], []
    for route in routes:
        endpoint = next((e for e in snapshot.ec2.vpc_endpoints if e.get("VpcEndpointId") == route.through), None)
        if endpoint is None:
            problems.append(f"endpoint {route.through} no longer exists")
            where.append(route.through)
            continue
        try:
            table, gateways = subnet_path(snapshot, route.subnet, route.service)
        except LookupError as exc:
            problems.append(str(exc))
            where.append(route.subnet)
            continue
        if gateways == [route.through]:
            continue
        used = (f"through {', '.join(gateways)} instead" if gateways else "over the internet: no endpoint for it is in that table")
        problems.append(f"subnet {route.subnet} (route table {table or 'none'}) sends {route.service.upper()} traffic {used}; "
                        f"it must go through {route.through} only")
        where.append(route.subnet)
        evidence.append({"subnet": route.subnet, "route_table": table, "endpoints": gateways, "expected": route.through})
    return problems, where, evidence


# ---------------------------------------------------------------- exact reachability
@dataclass
class Intent:
    source: Endpoint | AddressSet
    target: Endpoint | AddressSet
    protocol: str
    ports: tuple[int, int]
    required: bool

    def covers(self, protocol: str, lo: int, hi: int) -> bool:
        return self.protocol == protocol and self.ports[0] <= lo and hi <= self.ports[1]

    def text(self) -> str:
        def name(end: Endpoint | AddressSet) -> str:
            return end.label if isinstance(end, Endpoint) else end.describe()
        return f"{name(self.source)} -> {name(self.target)} on {traffic_text(self.protocol, self.ports)}"


def _same(a: Endpoint | AddressSet, b: Endpoint) -> bool:
    return isinstance(a, Endpoint) and (a.kind, a.id) == (b.kind, b.id)


class Unresolved(LookupError):
    """A rule names something the snapshot cannot resolve: the grader cannot decide."""


class ExactFlows:
    """Every flow into/out of the subjects, compared with the intents, piece by piece of the traffic space."""

    def __init__(self, model: NetworkModel, spec: ExactReachability):
        self.model = model
        self.direction = spec.direction
        self.subjects = [model.endpoint(ref) for ref in spec.subjects]  # Missing propagates: a FAIL
        self.intents = [self._intent(f) for f in spec.flows]
        known = {(s.kind, s.id) for s in self.subjects}
        self.peers = [p for p in model.peers(self.subjects)]
        self.everyone = self.subjects + [p for p in self.peers if (p.kind, p.id) not in known]
        self.cuts = [c for i in self.intents for c in (i.ports[0], i.ports[1] + 1)]
        unread = sorted({r.prefix_list for e in self.everyone for d in ("ingress", "egress") for r in model.rules(e, d)
                         if r.prefix_list and r.network is None})
        if unread:  # its entries could hold anything, 0.0.0.0/0 included: no verdict either way
            raise Unresolved(f"the entries of prefix list {', '.join(unread)} could not be read, so the flows "
                             "through it are unknown")

    def _intent(self, flow) -> Intent:
        def end(ref: str) -> Endpoint | AddressSet:
            found = address_set(ref)
            return found if found is not None else self.model.endpoint(ref)
        return Intent(end(flow.source), end(flow.target), flow.protocol, parse_ports(flow.ports, flow.protocol), flow.required)

    # ------------------------------------------------------------ intents
    def _intended_addresses(self, subject: Endpoint, inbound: bool, protocol: str, lo: int, hi: int, version: int) -> AddressSet:
        out = AddressSet(version)
        for i in self.intents:
            mine, other = (i.target, i.source) if inbound else (i.source, i.target)
            if _same(mine, subject) and isinstance(other, AddressSet) and other.version == version and i.covers(protocol, lo, hi):
                out = out.union(other)
        return out

    def _edge_intended(self, source: Endpoint, target: Endpoint, protocol: str, lo: int, hi: int) -> bool:
        if any(_same(i.source, source) and _same(i.target, target) and i.covers(protocol, lo, hi) for i in self.intents):
            return True
        # A CIDR rule admits the peer's whole VPC; when that range is intended address space, so is the peer.
        return (self._covered_by_addresses(target, source, True, protocol, lo, hi)
                or self._covered_by_addresses(source, target, False, protocol, lo, hi))

    def _covered_by_addresses(self, subject: Endpoint, peer: Endpoint, inbound: bool, protocol: str, lo: int, hi: int) -> bool:
        for rule in self.model.rules(subject, "ingress" if inbound else "egress"):
            if rule.network is None or not self.model.applies(rule, protocol, lo) or not self.model.admits_peer(rule, peer, protocol):
                continue
            v = rule.network.version
            part = self.model.vpc_set(peer, v).intersection(AddressSet.of(rule.network))
            if self._intended_addresses(subject, inbound, protocol, lo, hi, v).covers(part):
                return True
        return False

    # ------------------------------------------------------------ the space
    def unintended(self) -> list[Edge]:
        found: list[Edge] = []
        seen: set[tuple] = set()
        for protocol in self.model.protocols(self.everyone):
            for lo, hi in self.model.segments(protocol, self.everyone, self.cuts):
                for subject in self.subjects:
                    if self.direction in ("inbound", "both"):
                        found += self._address_extras(subject, True, protocol, lo, hi)
                        for peer in self.peers:
                            found += self._edge_extra(peer, subject, protocol, lo, hi, seen)
                    if self.direction in ("outbound", "both"):
                        found += self._address_extras(subject, False, protocol, lo, hi)
                        for peer in self.peers:
                            found += self._edge_extra(subject, peer, protocol, lo, hi, seen)
        return _merged(found)

    def _address_extras(self, subject: Endpoint, inbound: bool, protocol: str, lo: int, hi: int) -> list[Edge]:
        out = []
        reached = self.model.addresses(subject, "ingress" if inbound else "egress", protocol, lo, every=False)
        for version, (addresses, rules) in reached.items():
            if not inbound:  # inside its own VPC a tier reaches groups, judged as group flows
                addresses = addresses.minus(self.model.vpc_set(subject, version))
            extra = addresses.minus(self._intended_addresses(subject, inbound, protocol, lo, hi, version))
            if not extra:
                continue
            culprit = [r for r in rules if AddressSet.of(r.network).intersection(extra)][:1]
            source, target = (extra.describe(), subject.label) if inbound else (subject.label, extra.describe())
            acl = self.model.borders.address_passage(subject.subnets, inbound, protocol, lo, version, extra)
            out.append(Edge(source, target, protocol, (lo, hi), culprit, addresses=extra, acl=acl))
        return out

    def _edge_extra(self, source: Endpoint, target: Endpoint, protocol: str, lo: int, hi: int, seen: set) -> list[Edge]:
        key = (source.kind, source.id, target.kind, target.id, protocol, lo)
        if key in seen:
            return []
        seen.add(key)
        rules = self.model.edge_rules(source, target, protocol, lo, every=False)
        if rules is None or self._edge_intended(source, target, protocol, lo, hi):
            return []
        acl = self.model.edge_passage(source, target, protocol, lo)
        return [Edge(source.label, target.label, protocol, (lo, hi), rules, acl=acl)]

    def missing(self) -> list[str]:
        out = []
        for intent in self.intents:
            if not intent.required:
                continue
            why = self._why_missing(intent)
            if why:
                out.append(why)
        return out

    def _why_missing(self, intent: Intent) -> str | None:
        lo_i, hi_i = intent.ports
        for lo, hi in self.model.segments(intent.protocol, self.everyone, [lo_i, hi_i + 1]):
            if lo < lo_i or hi > hi_i:
                continue
            piece = traffic_text(intent.protocol, (lo, hi))
            src, dst = intent.source, intent.target
            if isinstance(src, AddressSet) and isinstance(dst, Endpoint):
                reached = self.model.addresses(dst, "ingress", intent.protocol, lo, every=True)[src.version][0]
                gap = self.model.demanded(src, dst).minus(reached)
                if gap:
                    return f"{gap.describe()} cannot reach {dst.label} on {piece}: " + _address_gap(self.model, dst, True, intent.protocol, lo, gap)
            elif isinstance(dst, AddressSet) and isinstance(src, Endpoint):
                reached = self.model.addresses(src, "egress", intent.protocol, lo, every=True)[dst.version][0]
                gap = self.model.demanded(dst, src).minus(reached)
                if gap:
                    return f"{src.label} cannot send to {gap.describe()} on {piece}: " + _address_gap(self.model, src, False, intent.protocol, lo, gap)
            elif isinstance(src, Endpoint) and isinstance(dst, Endpoint):
                if self.model.edge_rules(src, dst, intent.protocol, lo, every=True) is None:
                    return f"{src.label} cannot reach {dst.label} on {piece}: " + _which_side(self.model, src, dst, intent.protocol, lo)
        return None


def _which_side(model: NetworkModel, src: Endpoint, dst: Endpoint, protocol: str, port: int) -> str:
    inbound, sources, outbound, targets = model.edge_subnets(src, dst, protocol, port)
    if inbound is None:
        return f"no inbound rule of {dst.label} admits it"
    if outbound is None:
        return f"no outbound rule of {src.label} allows it"
    left_out = [(src, s, f"no inbound rule of {dst.label} admits") for s in src.subnets if src.placed and s not in sources]
    left_out += [(dst, t, f"no outbound rule of {src.label} allows") for t in dst.subnets if dst.placed and t not in targets]
    if left_out:  # an address-range rule names none of that subnet's addresses
        end, subnet, rule = left_out[0]
        return f"{rule} {end.label}'s members in {subnet}"
    for s in sources:
        for t in targets:
            why = model.borders.crosses(s, t, protocol, port, every=True)
            if why:
                return f"from subnet {s} to subnet {t}, {why}"
    return "the network ACLs between their subnets stop it"


def _address_gap(model: NetworkModel, end: Endpoint, inbound: bool, protocol: str, port: int, gap: AddressSet) -> str:
    if not model.addresses(end, "ingress" if inbound else "egress", protocol, port)[gap.version][0].covers(gap):
        return f"no {'inbound' if inbound else 'outbound'} rule {'admits' if inbound else 'allows'} it"
    why = model.borders.address_refusal(end.subnets, inbound, protocol, port, gap.version, gap)
    return why or (f"the network ACLs of its subnets ({', '.join(str(s) for s in end.subnets)}) refuse it "
                   f"{'inbound' if inbound else 'outbound'}, or refuse its reply")


def _merged(edges: list[Edge]) -> list[Edge]:
    """Adjacent port pieces of the same flow, opened by the same rules, read as one range."""
    out: list[Edge] = []
    index: dict[tuple, int] = {}
    for e in edges:
        key = (e.source, e.target, e.protocol, tuple(r.pointer + r.group_id for r in e.rules), tuple(e.acl))
        at = index.get(key)
        if at is not None and out[at].ports[1] + 1 == e.ports[0]:
            out[at].ports = (out[at].ports[0], e.ports[1])
            continue
        index[key] = len(out)
        out.append(e)
    return out


def _exact(model: NetworkModel, spec: ExactReachability) -> tuple[list[str], list[str], list[dict]]:
    try:
        exact = ExactFlows(model, spec)
    except Missing as exc:
        return [f"{exc}: nothing left to judge. Fix it rather than deleting it; `ztlab lab reset` brings it back."], [str(exc)], []
    extras = exact.unintended()
    missing = exact.missing()
    problems: list[str] = []
    if extras:
        more = f" ({len(extras) - 1} more unintended flows)" if len(extras) > 1 else ""
        problems.append(f"Unintended flow: {extras[0].describe()}{more}")
    if missing:
        problems.append(f"Missing flow: {missing[0]}" + (f" ({len(missing) - 1} more)" if len(missing) > 1 else ""))
    where = list(dict.fromkeys(e.target if e.target.startswith(("sg-", "database")) else e.source for e in extras[:1]))
    evidence = [{"unintended": e.describe(), "pointers": [r.pointer for r in e.rules]}
                | ({"network_acls": e.acl} if e.acl else {}) for e in extras[:20]]
    evidence += [{"missing": m} for m in missing]
    return problems, where, evidence


def grade_reachability(spec: ReachabilityObjective, snapshot: AccountSnapshot, names: dict) -> Verdict:
    spec = ReachabilityObjective.model_validate(resolve(spec.model_dump(), names))
    parts = ["security_groups", "subnets", "network_acls", "instances"] if spec.flows or spec.exactly else []
    parts += ["subnets", "route_tables", "vpc_endpoints"] if spec.routes else []
    for part in parts:
        why = snapshot.ec2.unreadable(part)
        if why:
            return Verdict("UNKNOWN", f"{part.replace('_', ' ')} could not be read: {why}")
    refs = [f.target for f in spec.flows] + (spec.exactly.subjects if spec.exactly else [])
    if any(r.startswith("rds:") for r in refs) and snapshot.rds.unreadable():
        return Verdict("UNKNOWN", f"databases could not be read: {snapshot.rds.unreadable()}")
    placement = {str(resolve(tier, names)): subnets for tier, subnets in spec.placement.items()}
    model = network_model(snapshot, placement)
    problems, where, evidence = _sampled(model, spec.flows)
    try:
        exact = [_exact(model, spec.exactly)] if spec.exactly is not None else []
    except Unresolved as exc:
        return Verdict("UNKNOWN", str(exc))
    for more in exact + ([_routes(snapshot, spec.routes)] if spec.routes else []):
        problems, where, evidence = problems + more[0], where + more[1], evidence + more[2]
    if problems:
        return Verdict("FAIL", "; ".join(problems), sorted(set(where)), evidence)
    parts = [f"Each of the {len(spec.routes)} subnets reaches its service only through the stated endpoint."] if spec.routes else []
    if spec.flows:
        parts.append(f"All {len(spec.flows)} sampled traffic flows are as required.")
    if spec.exactly is not None:
        parts.append(f"Exactly the intended flows ({len(spec.exactly.flows)} stated) and no others, over every protocol, "
                     "port, IPv4/IPv6 address and security group.")
    return Verdict("PASS", " ".join(parts))


__all__ = ["ExactFlows", "flow_is_open", "grade_reachability", "why_closed", "OTHER"]
