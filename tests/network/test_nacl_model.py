"""Network ACLs in the one network model, against a brute-force oracle written here from the AWS rules.

For random ACL entry lists (rule numbers in any order, protocol spellings, port ranges, ICMP types,
IPv4/IPv6 CIDRs, allow and deny, both directions):
- the addresses the model says an ACL lets through for a protocol and port are exactly those whose
  packet the oracle lets through: entries tried lowest number first, the first match decides, no
  match is a deny; and the entry the model names for one packet is the one the oracle stops at;
- a forbidden flow from an address to a tier is open for the exact reachability objective exactly
  when the oracle lets it across every border on the way: out of the sender's subnet when that is
  another subnet of the VPC (to some address of the tier's subnet), into the tier's, and (TCP) a
  reply on one client port 1024-65535 back out of the tier's and into the sender's; a needed one
  works exactly when every address of the tier's subnet and every reply port 32768-65535 get
  through. An address of the tier's own subnet crosses no ACL at all.
Then, end to end on a snapshot: unreadable ACLs give UNKNOWN, never PASS.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.checks.helpers import ACCOUNT, snap
from ztlab.content.models.lab import ReachabilityObjective
from ztlab.labs.objectives.reachability import grade_reachability
from ztlab.network.flows import network_model
from ztlab.network.nacls import Acl

PROTOCOLS = {"-1": "-1", "6": "tcp", "tcp": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "50": "50"}
VPC = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": ACCOUNT,
       "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:aa:bb00::/56"}]}
SUBNET = {"SubnetId": "subnet-db", "VpcId": "vpc-1", "CidrBlock": "10.0.3.0/24",
          "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:aa:bb03::/64"}]}
# For the flow property the tier's subnet is tiny, so the oracle can try every address a member may have;
# the sender's subnet is the app subnet (10.0.2.0/24 is among the sampled entry ranges).
TINY_DB = {"v4": "10.0.3.0/30", "v6": "2600:1f18:aa:bb03::/126"}
APP = {"v4": "10.0.2.0/24", "v6": "2600:1f18:aa:bb02::/64"}

# Nested ranges around the probed addresses, so entries overlap and their order decides.
cidr4 = st.one_of(st.sampled_from(["0.0.0.0/0", "0.0.0.0/1", "10.0.0.0/8", "10.0.0.0/16", "10.0.2.0/24", "10.0.2.7/32",
                                   "203.0.113.0/24", "203.0.113.9/32", "10.0.3.0/24", "10.0.3.2/31"]), st.sampled_from(["0.0.0.0/0", "10.0.0.0/16"]),
                  st.builds(lambda a, p: str(ipaddress.ip_network(f"{ipaddress.IPv4Address(a)}/{p}", strict=False)),
                            st.integers(0, 2**32 - 1), st.integers(0, 32)))
cidr6 = st.one_of(st.sampled_from(["::/0", "2000::/3", "2600:1f18:aa:bb00::/56", "2001:4860::/32", "2600:1f18:aa:bb03::2/127"]),
                  st.builds(lambda a, p: str(ipaddress.ip_network(f"{ipaddress.IPv6Address(a)}/{p}", strict=False)),
                            st.integers(0, 2**128 - 1), st.integers(0, 128)))
edge_port = st.one_of(st.sampled_from([0, 443, 1023, 1024, 5432, 32767, 32768, 49152, 65535]), st.integers(0, 65535))


@st.composite
def entry(draw):
    e = {"RuleNumber": draw(st.one_of(st.sampled_from([50, 100, 110, 200]), st.integers(1, 32766), st.just(32767))),
         "Protocol": draw(st.one_of(st.sampled_from(["-1", "6"]), st.sampled_from(sorted(PROTOCOLS)))), "RuleAction": draw(st.sampled_from(["allow", "deny"])),
         "Egress": draw(st.booleans())}
    if draw(st.integers(0, 3)):
        e["CidrBlock"] = draw(cidr4)
    else:
        e["Ipv6CidrBlock"] = draw(cidr6)
    if draw(st.booleans()):
        lo, hi = draw(edge_port), draw(edge_port)
        e["PortRange"] = {"From": min(lo, hi), "To": max(lo, hi)}
    if draw(st.booleans()):
        e["IcmpTypeCode"] = {"Type": draw(st.sampled_from([-1, 0, 3, 8, 128])), "Code": -1}
    return e


@st.composite
def pointed_entry(draw):
    """An entry aimed where verdicts turn: part of the tier's subnet only (some members, not all), or the
    client ports on one side of 32768 (replies AWS tells ACL authors to allow vs those real clients use)."""
    e = {"RuleNumber": draw(st.integers(1, 32766)), "RuleAction": draw(st.sampled_from(["allow", "deny"])),
         "Egress": draw(st.booleans()), "Protocol": draw(st.sampled_from(["-1", "6", "17"]))}
    e |= draw(st.sampled_from([{"CidrBlock": "10.0.3.2/31"}, {"CidrBlock": "10.0.3.1/32"}, {"CidrBlock": "10.0.3.0/24"},
                               {"CidrBlock": "0.0.0.0/0"}, {"Ipv6CidrBlock": "2600:1f18:aa:bb03::2/127"}]))
    if e["Protocol"] != "-1":
        e["PortRange"] = draw(st.sampled_from([{"From": 1024, "To": 32767}, {"From": 32768, "To": 65535},
                                               {"From": 1024, "To": 65535}, {"From": 49152, "To": 65535}]))
    return e


def entries(pointed: int = 1):
    """Up to seven entries, `pointed` in `pointed + 1` of them aimed where verdicts turn."""
    # AWS refuses two entries with one number in one direction: keep the first of each.
    def unique(es):
        seen, out = set(), []
        for e in es:
            if (e["RuleNumber"], e["Egress"]) not in seen:
                seen.add((e["RuleNumber"], e["Egress"]))
                out.append(e)
        return out
    return st.lists(st.one_of(entry(), *[pointed_entry()] * pointed), max_size=7).map(unique)


address = st.one_of(st.sampled_from(["10.0.2.7", "10.0.9.1", "10.9.0.1", "203.0.113.9", "8.8.8.8", "2600:1f18:aa:bb00::5",
                                     "2001:4860::1", "10.0.2.200", "2600:1f18:aa:bb02::5", "10.0.3.1"]),
                    st.builds(lambda a: str(ipaddress.IPv4Address(a)), st.integers(0, 2**32 - 1)),
                    st.builds(lambda a: str(ipaddress.IPv6Address(a)), st.integers(0, 2**128 - 1)))


# ---------------------------------------------------------------- the oracle: AWS's rules, read directly
def oracle_passes(acl_entries, egress: bool, addr: str, protocol: str, port: int) -> bool:
    decided = oracle_entry(acl_entries, egress, addr, protocol, port)
    return decided is not None and decided["RuleAction"] == "allow"


def oracle_entry(acl_entries, egress: bool, addr: str, protocol: str, port: int) -> dict | None:
    """The entry that decides the packet: the first in rule-number order that matches; None: the `*` deny."""
    ip = ipaddress.ip_address(addr)
    for e in sorted(acl_entries, key=lambda e: e["RuleNumber"]):
        if e["Egress"] != egress:
            continue
        proto = PROTOCOLS[e["Protocol"]]
        if proto != "-1":
            if proto != protocol:
                continue
            if proto in ("tcp", "udp") and "PortRange" in e and not e["PortRange"]["From"] <= port <= e["PortRange"]["To"]:
                continue
            kind = e.get("IcmpTypeCode", {}).get("Type", -1)
            if proto in ("icmp", "icmpv6") and kind >= 0 and kind != port:
                continue
        net = ipaddress.ip_network(e.get("CidrBlock") or e.get("Ipv6CidrBlock"))
        if net.version != ip.version or ip not in net:
            continue
        return e
    return None  # the `*` entry


def oracle_ports(acl_entries, egress: bool, addr: str, protocol: str) -> int:
    """Every port (bit p) on which a packet to `addr` (outbound) or from it (inbound) passes, by painting each
    matching entry's ports with its action, highest rule number first, so the lowest-numbered match is
    painted last and decides; unpainted ports keep the `*` deny."""
    ip, passing = ipaddress.ip_address(addr), 0
    for e in sorted(acl_entries, key=lambda e: e["RuleNumber"], reverse=True):
        net = ipaddress.ip_network(e.get("CidrBlock") or e.get("Ipv6CidrBlock"))
        proto = PROTOCOLS[e["Protocol"]]
        if e["Egress"] != egress or net.version != ip.version or ip not in net or proto not in ("-1", protocol):
            continue
        lo, hi = 0, 65535
        if proto in ("tcp", "udp") and "PortRange" in e:
            lo, hi = e["PortRange"]["From"], e["PortRange"]["To"]
        kind = e.get("IcmpTypeCode", {}).get("Type", -1)
        if proto in ("icmp", "icmpv6") and kind >= 0:
            lo = hi = kind
        ports = ((1 << (hi - lo + 1)) - 1) << lo
        passing = passing | ports if e["RuleAction"] == "allow" else passing & ~ports
    return passing


def port_span(lo: int, hi: int) -> int:
    return ((1 << (hi - lo + 1)) - 1) << lo


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(entries(), st.lists(st.tuples(address, st.sampled_from(["tcp", "udp", "icmp", "icmpv6", "50", "47"]), edge_port,
                                     st.booleans()), min_size=1, max_size=8))
def test_acl_admits_exactly_what_first_match_lets_through(acl_entries, probes):
    acl = Acl({"NetworkAclId": "acl-1", "Entries": acl_entries})
    for addr, protocol, port, egress in probes:
        port = port % 256 if protocol.startswith("icmp") else port
        ip = ipaddress.ip_address(addr)
        # "47" is named by no entry above: the model asks it as every other protocol
        asked = protocol if protocol in {PROTOCOLS[e["Protocol"]] for e in acl_entries} | {"tcp", "udp", "icmp", "icmpv6"} else "other"
        admitted, _ = acl.admitted(egress, asked, port, ip.version)
        got = any(lo <= int(ip) <= hi for lo, hi in admitted.intervals)
        assert got == oracle_passes(acl_entries, egress, addr, protocol, port), (addr, protocol, port, egress, acl_entries)
        # The per-port oracle the flow property uses agrees with the per-packet one.
        assert bool(oracle_ports(acl_entries, egress, addr, protocol) >> port & 1) == oracle_passes(acl_entries, egress, addr, protocol, port)
        # The entry a verdict names for this packet is the one the oracle stops at.
        decided = oracle_entry(acl_entries, egress, addr, protocol, port)
        number = "*" if decided is None or decided["RuleNumber"] == 32767 else decided["RuleNumber"]
        action = "deny" if decided is None else decided["RuleAction"]
        expected = f"acl-1 rule {number} ({'outbound' if egress else 'inbound'} {action})"
        assert acl.decide(egress, asked, port, int(ip), ip.version) == expected, (addr, protocol, port, egress, acl_entries)


def account(acl_entries, sg_open_to_world: bool = True):
    group = {"GroupId": "sg-db", "GroupName": "db", "VpcId": "vpc-1", "OwnerId": ACCOUNT, "IpPermissionsEgress": [],
             "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
             if sg_open_to_world else []}
    acl = {"NetworkAclId": "acl-db", "VpcId": "vpc-1", "IsDefault": False, "Entries": acl_entries,
           "Associations": [{"SubnetId": "subnet-db", "NetworkAclId": "acl-db"}]}
    return snap(ec2={"security_groups": [group], "vpcs": [VPC], "subnets": [SUBNET], "network_acls": [acl]})


def flow_account(target_entries, sender_entries):
    """sg-db open to everything, in a tiny db subnet with its own ACL; the app subnet has another."""
    snapshot = account(target_entries)
    snapshot.ec2.subnets[0].update(CidrBlock=TINY_DB["v4"], Ipv6CidrBlockAssociationSet=[{"Ipv6CidrBlock": TINY_DB["v6"]}])
    snapshot.ec2.subnets.append({"SubnetId": "subnet-app", "VpcId": "vpc-1", "CidrBlock": APP["v4"],
                                 "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": APP["v6"]}]})
    snapshot.ec2.network_acls.append({"NetworkAclId": "acl-app", "VpcId": "vpc-1", "IsDefault": False, "Entries": sender_entries,
                                      "Associations": [{"SubnetId": "subnet-app", "NetworkAclId": "acl-app"}]})
    return snapshot


def within(addr: str, blocks: dict[str, str]) -> bool:
    return any(ipaddress.ip_address(addr) in ipaddress.ip_network(b) for b in blocks.values())


def oracle_flow(target_entries, sender_entries, addr: str, protocol: str, port: int, every: bool) -> bool:
    """Whether a packet from `addr` reaches a member of the tier on `port` and, for TCP (and UDP when needed),
    its reply gets back, trying every address the member may have in its subnet and every client port: for
    some member and some port 1024-65535, or for each member and each port 32768-65535. From the tier's own
    subnet nothing is crossed; from the app subnet the packet also leaves through its ACL and the reply
    comes back in through it; from anywhere else only the tier's ACL counts. Brute force."""
    if within(addr, TINY_DB):
        return True
    version = ipaddress.ip_address(addr).version
    members = [str(m) for m in ipaddress.ip_network(TINY_DB[f"v{version}"])]
    sender = sender_entries if within(addr, APP) else None
    if not oracle_passes(target_entries, False, addr, protocol, port):
        return False
    reached = [m for m in members if sender is None or oracle_passes(sender, True, m, protocol, port)]
    if len(reached) < len(members) if every else not reached:
        return False
    if not (protocol == "tcp" or (every and protocol == "udp")):
        return True
    client_ports = port_span(32768, 65535) if every else port_span(1024, 65535)
    out_of_tier = oracle_ports(target_entries, True, addr, protocol) & client_ports
    into_sender = [port_span(0, 65535) if sender is None else oracle_ports(sender, False, m, protocol) for m in reached]
    if every:
        return out_of_tier == client_ports and all(ports & client_ports == client_ports for ports in into_sender)
    return any(out_of_tier & ports for ports in into_sender)  # the same port for both legs of one reply


# What an ACL ends with, in one direction, after the drawn entries: nothing (the `*` deny), everything, or
# TCP on the client ports on one side of 32768 only.
TAILS = [[], [("-1", None)], [("6", (1024, 32767))], [("6", (32768, 65535))], [("-1", None)]]


def entries_with_tails():
    """Entries aimed where verdicts turn, then a tail per direction numbered after most of them: the flow then
    often gets through one border, so whether another one (the sender's, its way out or its replies' way in,
    or the tier's) stops it decides."""
    def tail(egress: bool, kinds) -> list[dict]:
        out = []
        for protocol, ports in kinds:
            for cidr in ({"CidrBlock": "0.0.0.0/0"}, {"Ipv6CidrBlock": "::/0"}):
                e = {"RuleNumber": 32000 + len(out), "Protocol": protocol, "RuleAction": "allow", "Egress": egress, **cidr}
                out.append(e | ({"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}))
        return out
    def finish(drawn):
        es, inbound_tail, outbound_tail = drawn
        seen = {(e["RuleNumber"], e["Egress"]) for e in es}
        return es + [e for e in tail(False, inbound_tail) + tail(True, outbound_tail) if (e["RuleNumber"], e["Egress"]) not in seen]
    return st.tuples(entries(pointed=3), st.sampled_from(TAILS), st.sampled_from(TAILS)).map(finish)


# Senders: mostly the app subnet (where its ACL counts), then the tier's own subnet and anywhere else.
sender_address = st.one_of(st.sampled_from(["10.0.2.7", "10.0.2.200", "2600:1f18:aa:bb02::5"]),
                           st.builds(lambda a: str(ipaddress.IPv4Address(a)), st.integers(0x0A000200, 0x0A0002FF)),
                           st.sampled_from(["10.0.3.1", "2600:1f18:aa:bb03::2"]), address)


OPEN = [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": egress, "CidrBlock": "0.0.0.0/0"}
        for egress in (False, True)]


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Needed: a member at 10.0.3.2 or .3 cannot be reached from the app subnet, so the flow does not work everywhere.
@example(OPEN, [{"RuleNumber": 50, "Protocol": "-1", "RuleAction": "deny", "Egress": True, "CidrBlock": "10.0.3.2/31"}, *OPEN],
         ("10.0.2.7", "tcp", 5432), True)
# Forbidden: replies get back into the app subnet only on 32768-65535, a boundary only the sender's ACL has.
@example(OPEN, [OPEN[1], {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0",
                          "PortRange": {"From": 32768, "To": 65535}}], ("10.0.2.7", "tcp", 5432), False)
@given(entries_with_tails(), entries_with_tails(), st.tuples(sender_address, st.sampled_from(["tcp", "tcp", "udp", "icmp"]), edge_port),
       st.booleans())
def test_flows_into_a_subnet_match_the_oracle_with_replies(target_entries, sender_entries, probe, every):
    addr, protocol, port = probe
    port = port % 256 if protocol == "icmp" else port
    ip = ipaddress.ip_address(addr)
    if protocol == "icmp" and ip.version == 6:
        return
    snapshot = flow_account(target_entries, sender_entries)
    placed = {"sg-db": ["subnet-db"]}  # unplaced, the tier might sit next to the sender, where no ACL stands
    model = network_model(snapshot, placed)
    admitted, _ = model.addresses(model.endpoint("sg-db"), "ingress", protocol, port, every)[ip.version]
    got = any(lo <= int(ip) <= hi for lo, hi in admitted.intervals)
    expected = oracle_flow(target_entries, sender_entries, addr, protocol, port, every)
    assert got == expected, (addr, protocol, port, every, target_entries, sender_entries)
    # The sampled objective decides the same way: a closed flow fails exactly when the oracle lets it through.
    suffix = "/32" if ip.version == 4 else "/128"
    spec = ReachabilityObjective.model_validate({"placement": placed, "flows": [
        {"source": addr + suffix, "target": "sg-db", "port": port, "protocol": protocol, "expect": "open" if every else "closed"}]})
    verdict = grade_reachability(spec, snapshot, {})
    assert verdict.status == ("PASS" if got == every else "FAIL"), verdict.message


def test_a_deny_numbered_after_an_allow_is_never_reached():
    allow_then_deny = [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False, "CidrBlock": "0.0.0.0/0"},
        {"RuleNumber": 200, "Protocol": "6", "RuleAction": "deny", "Egress": False, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 5432, "To": 5432}},
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True, "CidrBlock": "0.0.0.0/0"},
    ]
    spec = ReachabilityObjective.model_validate({"exactly": {"subjects": ["sg-db"], "direction": "inbound", "flows": []}})
    verdict = grade_reachability(spec, account(allow_then_deny), {})
    assert verdict.status == "FAIL" and "TCP" in verdict.message, verdict.message
    deny_first = [dict(e, RuleNumber=50) if e["RuleAction"] == "deny" else e for e in allow_then_deny]
    verdict = grade_reachability(spec, account(deny_first), {})
    from_outside = [e["unintended"] for e in verdict.evidence
                    if not e["unintended"].startswith(("10.0.3.0/24 ", "2600:1f18:aa:bb03::/64 "))]  # the subnet itself
    assert verdict.status == "FAIL" and from_outside, verdict.evidence
    assert not [e for e in from_outside if "TCP 5432" in e or "all TCP ports" in e], from_outside


def test_unreadable_network_acls_are_unknown_never_a_pass():
    snapshot = account([], sg_open_to_world=False)
    snapshot.ec2.errors["network_acls"] = "AccessDenied: ec2:DescribeNetworkAcls"
    for spec in ({"exactly": {"subjects": ["sg-db"], "direction": "inbound", "flows": []}},
                 {"flows": [{"source": "0.0.0.0/0", "target": "sg-db", "port": 5432, "expect": "closed"}]}):
        verdict = grade_reachability(ReachabilityObjective.model_validate(spec), snapshot, {})
        assert verdict.status == "UNKNOWN" and "network acls could not be read" in verdict.message, verdict.message


def test_a_strict_acl_on_a_subnet_an_unplaced_tier_need_not_use_breaks_no_needed_flow():
    # The tier's subnet is unknown: it may sit in the open subnet, so its needed HTTPS still works;
    # stated to sit in the strict one, it does not (no reply may leave), and the message says why.
    snapshot = account([{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": False,
                         "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}}])
    snapshot.ec2.subnets.append({"SubnetId": "subnet-open", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"})
    snapshot.ec2.security_groups[0]["IpPermissions"] = [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    needed = {"exactly": {"subjects": ["sg-db"], "direction": "inbound",
                          "flows": [{"source": "0.0.0.0/0", "target": "sg-db", "ports": 443}]}}
    unplaced = grade_reachability(ReachabilityObjective.model_validate(needed), snapshot, {})
    assert unplaced.status == "PASS", unplaced.message
    placed = grade_reachability(ReachabilityObjective.model_validate({**needed, "placement": {"sg-db": ["subnet-db"]}}), snapshot, {})
    assert placed.status == "FAIL" and "network ACL" in placed.message, placed.message
