"""Network ACLs in the one network model, against a brute-force oracle written here from the AWS rules.

For random ACL entry lists (rule numbers in any order, protocol spellings, port ranges, ICMP types,
IPv4/IPv6 CIDRs, allow and deny, both directions):
- the addresses the model says an ACL lets through for a protocol and port are exactly those whose
  packet the oracle lets through: entries tried lowest number first, the first match decides, no
  match is a deny;
- a forbidden flow from an address into a tier's subnet is open for the exact reachability
  objective exactly when the oracle lets the packet in and (TCP) some reply on a port 1024-65535
  back out; a needed one works exactly when every reply on 32768-65535 gets out.
Then, end to end on a snapshot: unreadable ACLs give UNKNOWN, never PASS.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, given, settings
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

# Nested ranges around the probed addresses, so entries overlap and their order decides.
cidr4 = st.one_of(st.sampled_from(["0.0.0.0/0", "0.0.0.0/1", "10.0.0.0/8", "10.0.0.0/16", "10.0.2.0/24", "10.0.2.7/32",
                                   "203.0.113.0/24", "203.0.113.9/32"]), st.sampled_from(["0.0.0.0/0", "10.0.0.0/16"]),
                  st.builds(lambda a, p: str(ipaddress.ip_network(f"{ipaddress.IPv4Address(a)}/{p}", strict=False)),
                            st.integers(0, 2**32 - 1), st.integers(0, 32)))
cidr6 = st.one_of(st.sampled_from(["::/0", "2000::/3", "2600:1f18:aa:bb00::/56", "2001:4860::/32"]),
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


def entries():
    # AWS refuses two entries with one number in one direction: keep the first of each.
    def unique(es):
        seen, out = set(), []
        for e in es:
            if (e["RuleNumber"], e["Egress"]) not in seen:
                seen.add((e["RuleNumber"], e["Egress"]))
                out.append(e)
        return out
    return st.lists(entry(), max_size=7).map(unique)


address = st.one_of(st.sampled_from(["10.0.2.7", "10.0.9.1", "10.9.0.1", "203.0.113.9", "8.8.8.8", "2600:1f18:aa:bb00::5",
                                     "2001:4860::1"]),
                    st.builds(lambda a: str(ipaddress.IPv4Address(a)), st.integers(0, 2**32 - 1)),
                    st.builds(lambda a: str(ipaddress.IPv6Address(a)), st.integers(0, 2**128 - 1)))


# ---------------------------------------------------------------- the oracle: AWS's rules, read directly
def oracle_passes(acl_entries, egress: bool, addr: str, protocol: str, port: int) -> bool:
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
        return e["RuleAction"] == "allow"
    return False  # the `*` entry


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


def account(acl_entries, sg_open_to_world: bool = True):
    group = {"GroupId": "sg-db", "GroupName": "db", "VpcId": "vpc-1", "OwnerId": ACCOUNT, "IpPermissionsEgress": [],
             "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
             if sg_open_to_world else []}
    acl = {"NetworkAclId": "acl-db", "VpcId": "vpc-1", "IsDefault": False, "Entries": acl_entries,
           "Associations": [{"SubnetId": "subnet-db", "NetworkAclId": "acl-db"}]}
    return snap(ec2={"security_groups": [group], "vpcs": [VPC], "subnets": [SUBNET], "network_acls": [acl]})


def oracle_flow(acl_entries, addr: str, protocol: str, port: int, every: bool) -> bool:
    """Whether a packet from `addr` (outside the subnet) reaches the tier on `port`, and, for TCP (and UDP when
    needed), its reply gets back: on some port 1024-65535, or on every port 32768-65535. Brute force."""
    if not oracle_passes(acl_entries, False, addr, protocol, port):
        return False
    if not (protocol == "tcp" or (every and protocol == "udp")):
        return True
    if every:
        return all(oracle_passes(acl_entries, True, addr, protocol, e) for e in range(32768, 65536))
    return any(oracle_passes(acl_entries, True, addr, protocol, e) for e in range(1024, 65536))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), st.tuples(address, st.sampled_from(["tcp", "udp", "icmp"]), edge_port), st.booleans())
def test_flows_into_a_subnet_match_the_oracle_with_replies(acl_entries, probe, every):
    addr, protocol, port = probe
    port = port % 256 if protocol == "icmp" else port
    ip = ipaddress.ip_address(addr)
    if ip in ipaddress.ip_network("10.0.3.0/24") or ip in ipaddress.ip_network("2600:1f18:aa:bb03::/64"):
        return  # inside the subnet no ACL is crossed
    if protocol == "icmp" and ip.version == 6:
        return
    snapshot = account(acl_entries)
    model = network_model(snapshot)
    admitted, _ = model.addresses(model.endpoint("sg-db"), "ingress", protocol, port, every)[ip.version]
    got = any(lo <= int(ip) <= hi for lo, hi in admitted.intervals)
    assert got == oracle_flow(acl_entries, addr, protocol, port, every), (addr, protocol, port, every, acl_entries)
    # The sampled objective decides the same way: a closed flow fails exactly when the oracle lets it through.
    suffix = "/32" if ip.version == 4 else "/128"
    spec = ReachabilityObjective.model_validate({"flows": [
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
