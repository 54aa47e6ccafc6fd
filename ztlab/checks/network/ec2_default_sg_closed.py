from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.network._exposure import groups_or_unknown
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label
from ztlab.snapshot import AccountSnapshot


class DefaultSecurityGroupClosed(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_default_sg_closed",
        title="Default security groups allow no inbound or outbound traffic",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="Anything launched without an explicit group lands in the VPC's default group, whose "
        "factory rules let every member talk to every other member and to the internet. Empty it so "
        "every workload must be placed in a group that was designed for it.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <default-sg-id> --ip-permissions "
            "'IpProtocol=-1,UserIdGroupPairs=[{GroupId=<default-sg-id>}]' && aws ec2 revoke-security-group-egress "
            "--group-id <default-sg-id> --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'",
            console="VPC > Security groups > the group named 'default' > Inbound rules and Outbound rules: delete every rule.",
        ),
        controls=Controls(fsbp=("EC2.2",), cis=("5.4",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        defaults = [g for g in groups if g.get("GroupName") == "default"]
        if groups and not defaults:
            yield self.account_not_applicable(snapshot, "No default security groups exist in this region.")
        for group in defaults:
            rules = group_rules(group, "ingress", snapshot) + group_rules(group, "egress", snapshot)
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if rules:
                yield self.failed(
                    arn,
                    f"The default security group {sg_label(group)} of {group.get('VpcId')} still has {len(rules)} rule(s): "
                    f"{'; '.join(r.direction + ' ' + r.describe() for r in rules)}. Remove them all.",
                    evidence={"pointer": rules[0].pointer, **rule_evidence(rules)},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"The default security group {sg_label(group)} allows no traffic.", ids=ids)
