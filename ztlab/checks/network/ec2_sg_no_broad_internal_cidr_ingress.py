from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.network.addresses import is_world, public_size
from ztlab.checks.network._exposure import groups_or_unknown
from ztlab.network.rules import Rule, group_rules, rule_evidence, sg_arn, sg_ids, sg_label, vpc_networks
from ztlab.snapshot import AccountSnapshot

# A private source this wide is "the whole network", not a tier: /16 for IPv4, /56 for IPv6.
BROAD_PREFIX = {4: 16, 6: 56}


def broad_internal(rule: Rule, vpc_nets: list) -> str | None:
    """Why this CIDR source is a whole-network rule, or None. World sources are other checks' business."""
    net = rule.network
    if net is None:
        return None
    if is_world(net):
        return None
    for vpc_net in vpc_nets:
        if vpc_net.version == net.version and vpc_net.subnet_of(net):
            return f"{net} covers the whole VPC ({vpc_net})"
    if public_size(net) == 0 and net.prefixlen <= BROAD_PREFIX[net.version]:
        return f"{net} is a whole private network (/{net.prefixlen})"
    return None


class SecurityGroupNoBroadInternalCidrIngress(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_no_broad_internal_cidr_ingress",
        title="Security groups admit tiers by security-group reference, not whole-VPC CIDR ranges",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="A rule from 10.0.0.0/16 (the whole VPC) or 10.0.0.0/8 trusts every workload on the network "
        "because of where it sits. Once one host is compromised, that rule carries the attacker sideways. "
        "Reference the security group of the tier that should connect instead.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=10.0.0.0/16}]' && "
            "aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port <port> --source-group <tier-sg-id>",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: change the source from the VPC "
            "CIDR to the security group of the calling tier.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            nets = vpc_networks(snapshot, group.get("VpcId"))
            broad = [(r, why) for r in group_rules(group, "ingress", snapshot) if (why := broad_internal(r, nets))]
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if broad:
                rules = [r for r, _ in broad]
                yield self.failed(
                    arn,
                    f"Security group {sg_label(group)} trusts a whole network: "
                    + "; ".join(f"{r.describe()} ({why})" for r, why in broad)
                    + ". Reference the calling tier's security group instead.",
                    evidence={"pointer": rules[0].pointer, **rule_evidence(rules)},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"Security group {sg_label(group)} has no whole-network inbound rules.", ids=ids)
