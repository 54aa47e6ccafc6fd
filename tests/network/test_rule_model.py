"""The one network rule model, against an oracle written here from the AWS rules, for random groups.

For random security groups (every protocol spelling, -1 and reversed ports, ICMP types, IPv4/IPv6,
world halves, customer prefix lists, group references by id and by name, self references):
- the addresses the model says a port admits are exactly those the oracle admits (probed per address);
- a sampled reachability objective ("this address must not reach that port") fails exactly when the
  oracle admits the address;
- the world-exposure checks fail exactly when the reachability model's addresses for the port are
  world-sized, and the exact objective then names a flow on that port.
"""

from __future__ import annotations

import ipaddress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.checks.helpers import ACCOUNT, snap
from ztlab.checks import get_check
from ztlab.content.models.lab import ReachabilityObjective
from ztlab.labs.objectives.reachability import grade_reachability
from ztlab.network.flows import network_model

VPC = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": ACCOUNT,
       "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:aa:bb00::/56"}]}
PREFIX_LISTS = {"pl-corp": ["10.0.0.0/16", "2600:1f18:aa:bb00::/56"], "pl-world": ["0.0.0.0/1", "128.0.0.0/1"],
                "pl-office": ["203.0.113.0/24"]}

PROTOCOLS = {"-1": "-1", "all": "-1", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp",
             "icmpv6": "icmpv6", "58": "icmpv6", "50": "50"}

cidr4 = st.one_of(st.sampled_from(["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/16", "10.0.2.0/24", "203.0.113.9/32"]),
                  st.builds(lambda a, p: str(ipaddress.ip_network(f"{ipaddress.IPv4Address(a)}/{p}", strict=False)),
                            st.integers(0, 2**32 - 1), st.integers(0, 32)))
cidr6 = st.one_of(st.sampled_from(["::/0", "2000::/3", "2600:1f18:aa:bb00::/56", "::/1", "8000::/1"]),
                  st.builds(lambda a, p: str(ipaddress.ip_network(f"{ipaddress.IPv6Address(a)}/{p}", strict=False)),
                            st.integers(0, 2**128 - 1), st.integers(0, 128)))
port = st.one_of(st.sampled_from([-1, 0, 22, 443, 3389, 5432, 65535]), st.integers(0, 65535))


@st.composite
def permission(draw):
    perm = {"IpProtocol": draw(st.sampled_from(sorted(PROTOCOLS)))}
    if draw(st.booleans()):
        perm["FromPort"], perm["ToPort"] = draw(port), draw(port)
    perm["IpRanges"] = [{"CidrIp": c} for c in draw(st.lists(cidr4, max_size=2))]
    perm["Ipv6Ranges"] = [{"CidrIpv6": c} for c in draw(st.lists(cidr6, max_size=2))]
    perm["PrefixListIds"] = [{"PrefixListId": p} for p in draw(st.lists(st.sampled_from(sorted(PREFIX_LISTS)), max_size=1))]
    refs = draw(st.lists(st.sampled_from([{"GroupId": "sg-a"}, {"GroupId": "sg-b"}, {"GroupName": "b"}]), max_size=1))
    perm["UserIdGroupPairs"] = refs
    return perm


def account(target_perms, egress_b):
    groups = [
        {"GroupId": "sg-a", "GroupName": "a", "VpcId": "vpc-1", "OwnerId": ACCOUNT, "IpPermissions": target_perms,
         "IpPermissionsEgress": []},
        {"GroupId": "sg-b", "GroupName": "b", "VpcId": "vpc-1", "OwnerId": ACCOUNT, "IpPermissions": [],
         "IpPermissionsEgress": egress_b},
    ]
    lists = [{"PrefixListId": k, "Entries": [{"Cidr": c} for c in v]} for k, v in PREFIX_LISTS.items()]
    return snap(ec2={"security_groups": groups, "vpcs": [VPC], "prefix_lists": lists})


# ---------------------------------------------------------------- the oracle: AWS's rules, read directly
def oracle_admits(perms, address: str, protocol: str, port_no: int) -> bool:
    ip = ipaddress.ip_address(address)
    for perm in perms:
        proto = PROTOCOLS[perm["IpProtocol"]]
        if proto != "-1":
            if proto != protocol:
                continue
            lo, hi = perm.get("FromPort"), perm.get("ToPort")
            if proto in ("tcp", "udp") and lo is not None and hi is not None and lo >= 0 and hi >= 0:
                if not min(lo, hi) <= port_no <= max(lo, hi):
                    continue
            if proto in ("icmp", "icmpv6") and lo is not None and lo >= 0 and lo != port_no:
                continue
        if protocol == "icmp" and ip.version != 4 or protocol == "icmpv6" and ip.version != 6:
            continue
        sources = [r["CidrIp"] for r in perm["IpRanges"]] + [r["CidrIpv6"] for r in perm["Ipv6Ranges"]]
        sources += [c for p in perm["PrefixListIds"] for c in PREFIX_LISTS[p["PrefixListId"]]]
        if any(ipaddress.ip_network(s).version == ip.version and ip in ipaddress.ip_network(s) for s in sources):
            return True
    return False


probe = st.tuples(
    st.one_of(st.builds(lambda a: str(ipaddress.IPv4Address(a)), st.integers(0, 2**32 - 1)),
              st.builds(lambda a: str(ipaddress.IPv6Address(a)), st.integers(0, 2**128 - 1)),
              st.sampled_from(["10.0.2.7", "203.0.113.9", "8.8.8.8", "2600:1f18:aa:bb00::5", "2001:4860::1"])),
    st.sampled_from(["tcp", "udp", "icmp", "icmpv6"]),
    st.one_of(st.sampled_from([0, 22, 443, 3389, 5432, 65535]), st.integers(0, 255)),
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(permission(), max_size=4), st.lists(permission(), max_size=2), st.lists(probe, min_size=1, max_size=6))
def test_model_addresses_and_sampled_objective_match_the_oracle(perms, egress_b, probes):
    snapshot = account(perms, egress_b)
    model = network_model(snapshot)
    target = model.endpoint("sg-a")
    for address, protocol, port_no in probes:
        port_no = port_no % 256 if protocol.startswith("icmp") else port_no  # ICMP types are 0-255
        expected = oracle_admits(perms, address, protocol, port_no)
        version = ipaddress.ip_address(address).version
        admitted, _ = model.addresses(target, "ingress", protocol, port_no)[version]
        got = any(lo <= int(ipaddress.ip_address(address)) <= hi for lo, hi in admitted.intervals)
        assert got == expected, (address, protocol, port_no, perms)
        suffix = "/32" if version == 4 else "/128"
        spec = ReachabilityObjective.model_validate({"flows": [
            {"source": address + suffix, "target": "sg-a", "port": port_no, "protocol": protocol, "expect": "closed"}]})
        verdict = grade_reachability(spec, snapshot, {})
        assert verdict.status == ("FAIL" if expected else "PASS"), (address, protocol, port_no, verdict.message, perms)


EXPOSURE = {"ec2_sg_no_world_ssh": (22, ("tcp",)), "ec2_sg_no_world_rdp": (3389, ("tcp", "udp"))}


@SETTINGS
@given(st.lists(permission(), max_size=4))
def test_exposure_checks_agree_with_the_exact_objective(perms):
    snapshot = account(perms, [])
    model = network_model(snapshot)
    target = model.endpoint("sg-a")
    for check_id, (port_no, protocols) in EXPOSURE.items():
        open_by = {p: any(model.addresses(target, "ingress", p, port_no)[v][0].is_world() for v in (4, 6)) for p in protocols}
        finding = next(f for f in get_check(check_id).run(snapshot) if "sg-a" in f.resource)
        assert (finding.status == "FAIL") == any(open_by.values()), (check_id, finding.message, perms)
        world = open_by["tcp"]
        # The exact objective that allows everything but this port from the internet names it when open.
        public_ok = [{"source": s, "target": "sg-a", "ports": p, "required": False}
                     for s in ("0.0.0.0/0", "::/0") for p in (f"0-{port_no - 1}", f"{port_no + 1}-65535")]
        private_ok = [{"source": s, "target": "sg-a", "ports": port_no, "required": False}
                      for s in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]
        spec = ReachabilityObjective.model_validate({"exactly": {"subjects": ["sg-a"], "direction": "inbound",
                                                                  "flows": public_ok + private_ok}})
        verdict = grade_reachability(spec, snapshot, {})
        on_port = [e for e in verdict.evidence if f"TCP {port_no}" in e.get("unintended", "") or "all TCP ports" in e.get("unintended", "")
                   or "TCP " in e.get("unintended", "") and _spans(e["unintended"], port_no)]
        if world:
            assert verdict.status == "FAIL" and on_port, (check_id, verdict.message, perms)


def _spans(text: str, port_no: int) -> bool:
    import re

    m = re.search(r"TCP (\d+)-(\d+)", text)
    return bool(m) and int(m.group(1)) <= port_no <= int(m.group(2))


def test_an_unreadable_prefix_list_is_unknown_never_a_pass():
    # LocalStack answers GetManagedPrefixListEntries with empty CIDRs: the list could hold 0.0.0.0/0.
    snapshot = account([{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [], "Ipv6Ranges": [],
                         "PrefixListIds": [{"PrefixListId": "pl-unread"}], "UserIdGroupPairs": []}], [])
    snapshot.ec2.prefix_lists.append({"PrefixListId": "pl-unread", "Entries": [{"Cidr": ""}]})
    spec = ReachabilityObjective.model_validate({"exactly": {"subjects": ["sg-a"], "direction": "inbound", "flows": []}})
    verdict = grade_reachability(spec, snapshot, {})
    assert verdict.status == "UNKNOWN" and "pl-unread" in verdict.message, verdict.message


def test_a_deleted_subject_fails_and_says_so():
    snapshot = account([], [])
    for subject, said in (("sg-gone", "security group sg-gone no longer exists"), ("rds:orders", "database orders no longer exists")):
        spec = ReachabilityObjective.model_validate({"exactly": {"subjects": [subject], "flows": []}})
        verdict = grade_reachability(spec, snapshot, {})
        assert verdict.status == "FAIL" and said in verdict.message, verdict.message
