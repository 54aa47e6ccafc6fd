"""Reachability objectives: may traffic flow from a source (security group or CIDR) to a target group?

Both ends are consulted as AWS does: the target's ingress and, for a group source, the source's
egress. A CIDR rule counts when it overlaps the source (for a group source: the source group's VPC),
so "may flow" errs on the side of open, which is the safe side for a "must be closed" objective.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ztlab.content.models.lab import Flow, ReachabilityObjective
from ztlab.labs.references import resolve
from ztlab.labs.results import Status
from ztlab.snapshot import AccountSnapshot

_PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1"}


def _protocol_matches(rule_protocol: str, protocol: str) -> bool:
    rule_protocol = str(rule_protocol).lower()
    return rule_protocol in ("-1", "all") or rule_protocol in (protocol, _PROTOCOL_NUMBERS[protocol])


def _port_matches(rule: dict[str, Any], port: int, protocol: str) -> bool:
    if str(rule.get("IpProtocol")) in ("-1", "all") or protocol == "icmp":
        return True
    low, high = rule.get("FromPort"), rule.get("ToPort")
    if low is None or high is None or low == -1:
        return True
    return int(low) <= port <= int(high)


def _networks(rule: dict[str, Any]) -> list[ipaddress._BaseNetwork]:
    nets = [r.get("CidrIp") for r in rule.get("IpRanges", [])] + [r.get("CidrIpv6") for r in rule.get("Ipv6Ranges", [])]
    return [ipaddress.ip_network(n, strict=False) for n in nets if n]


def _overlaps(a: ipaddress._BaseNetwork, b: ipaddress._BaseNetwork) -> bool:
    return a.version == b.version and a.overlaps(b)


def _rule_admits(rule: dict[str, Any], flow: Flow, peer_group: str | None, peer_nets: list) -> str | None:
    """A description of the rule when it admits the flow from/to the peer, else None."""
    if not _protocol_matches(rule.get("IpProtocol", ""), flow.protocol) or not _port_matches(rule, flow.port, flow.protocol):
        return None
    if peer_group and any(pair.get("GroupId") == peer_group for pair in rule.get("UserIdGroupPairs", [])):
        return f"{rule.get('IpProtocol')} {rule.get('FromPort')}-{rule.get('ToPort')} from/to {peer_group}"
    for net in _networks(rule):
        if any(_overlaps(net, peer) for peer in peer_nets):
            return f"{rule.get('IpProtocol')} {rule.get('FromPort')}-{rule.get('ToPort')} {net}"
    return None


def _group_networks(snapshot: AccountSnapshot, group: dict[str, Any]) -> list:
    vpc = snapshot.ec2.vpc(group.get("VpcId", "")) or {}
    cidrs = [a.get("CidrBlock") for a in vpc.get("CidrBlockAssociationSet", [])] or [vpc.get("CidrBlock")]
    cidrs += [a.get("Ipv6CidrBlock") for a in vpc.get("Ipv6CidrBlockAssociationSet", [])]
    return [ipaddress.ip_network(c, strict=False) for c in cidrs if c]


def flow_is_open(snapshot: AccountSnapshot, flow: Flow) -> tuple[bool, list[str]]:
    """(open?, the rules that decide it). Raises LookupError for a group that does not exist."""
    target = snapshot.ec2.security_group(flow.target)
    if target is None:
        raise LookupError(f"security group {flow.target} does not exist")
    source_group = None
    if flow.source.startswith("sg-"):
        source_group = snapshot.ec2.security_group(flow.source)
        if source_group is None:
            raise LookupError(f"security group {flow.source} does not exist")
        source_nets = _group_networks(snapshot, source_group)
    else:
        source_nets = [ipaddress.ip_network(flow.source, strict=False)]
    ingress = [d for rule in target.get("IpPermissions", [])
               if (d := _rule_admits(rule, flow, flow.source if source_group else None, source_nets))]
    if not ingress:
        return False, []
    if source_group is None:
        return True, [f"{flow.target} ingress {d}" for d in ingress]
    egress = [d for rule in source_group.get("IpPermissionsEgress", [])
              if (d := _rule_admits(rule, flow, flow.target, _group_networks(snapshot, target)))]
    if not egress:
        return False, [f"{flow.source} has no egress rule to {flow.target} on {flow.protocol}/{flow.port}"]
    return True, [f"{flow.target} ingress {ingress[0]}", f"{flow.source} egress {egress[0]}"]


def grade_reachability(spec: ReachabilityObjective, snapshot: AccountSnapshot, names: dict) -> tuple[Status, str, list[str], list[dict]]:
    if snapshot.ec2.unreadable("security_groups"):
        return "UNKNOWN", f"security groups could not be read: {snapshot.ec2.unreadable('security_groups')}", [], []
    spec = ReachabilityObjective.model_validate(resolve(spec.model_dump(), names))
    problems, where, evidence = [], [], []
    for flow in spec.flows:
        label = f"{flow.source} -> {flow.target} on {flow.protocol}/{flow.port}"
        try:
            is_open, rules = flow_is_open(snapshot, flow)
        except LookupError as exc:
            problems.append(f"{label}: {exc}")
            where.append(flow.target)
            continue
        if is_open != (flow.expect == "open"):
            state = "is open" if is_open else "is closed"
            detail = f" (by {'; '.join(rules)})" if rules and is_open else (f" ({rules[0]})" if rules else "")
            problems.append(f"{label} {state} but must be {flow.expect}{detail}")
            where.append(flow.target)
            evidence.append({"flow": flow.model_dump(), "open": is_open, "rules": rules})
    if problems:
        return "FAIL", "; ".join(problems), sorted(set(where)), evidence
    return "PASS", f"All {len(spec.flows)} traffic flows are as required.", [], []
