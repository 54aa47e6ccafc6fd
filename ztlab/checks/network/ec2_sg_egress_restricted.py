from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.network._exposure import groups_or_unknown
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label, world_open_ports
from ztlab.snapshot import AccountSnapshot


# More world-open ports than this is no restriction: "every port but 0" (1-65535), or 1024-65535 "for
# ephemeral ports" (which security groups never need: they are stateful), are still "send anything".
WIDE_PORTS = 1024


class SecurityGroupEgressRestricted(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_egress_restricted",
        title="Security groups do not allow all outbound traffic to the internet",
        service="ec2",
        principle="assume-breach",
        severity="medium",
        rationale="The factory egress rule (all traffic to 0.0.0.0/0) lets a compromised workload download "
        "tools and send your data anywhere. Allow only the destinations and ports it needs (for example "
        "HTTPS to a VPC endpoint or a proxy).",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-egress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' && aws ec2 authorize-security-group-egress --group-id <sg-id> "
            "--ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=<s3-prefix-list>}]'",
            console="EC2 > Security Groups > the group > Outbound rules > Edit: delete 'All traffic' to 0.0.0.0/0 "
            "and ::/0; add only the ports and destinations the workload uses.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            rules = group_rules(group, "egress", snapshot)
            wide: list = []
            for protocol in ("tcp", "udp"):
                segments = world_open_ports(rules, protocol)
                if sum(hi - lo + 1 for lo, hi, _ in segments) > WIDE_PORTS:
                    wide.extend(r for _, _, opened in segments for r in opened if r not in wide)
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if wide:
                yield self.failed(
                    arn,
                    f"Security group {sg_label(group)} lets its members send anything anywhere: "
                    f"{'; '.join(r.describe() for r in wide)}. Restrict egress to the ports and destinations needed.",
                    evidence={"pointer": wide[0].pointer, **rule_evidence(wide)},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"Security group {sg_label(group)} does not allow unrestricted egress to the internet.", ids=ids)
