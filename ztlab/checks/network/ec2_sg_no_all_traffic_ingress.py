from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.network._exposure import groups_or_unknown
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label
from ztlab.snapshot import AccountSnapshot


class SecurityGroupNoAllTrafficIngress(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_no_all_traffic_ingress",
        title="Security groups do not allow all traffic in, from any source",
        service="ec2",
        principle="least-privilege",
        severity="medium",
        rationale="An all-traffic rule (protocol -1, or every TCP/UDP port) trusts a source with every "
        "service on the instance, including ones nobody meant to expose. Allow the one port each caller "
        "needs, even between your own tiers.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=-1,UserIdGroupPairs=[{GroupId=<source-sg-id>}]'; then authorize only the port: "
            "aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port <port> --source-group <source-sg-id>",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: replace 'All traffic' (or port range "
            "0-65535) with the specific protocol and port.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            if group.get("GroupName") == "default":
                continue  # the default group is judged, more strictly, by ec2_default_sg_closed
            wide = [r for r in group_rules(group, "ingress", snapshot) if r.all_traffic]
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if wide:
                yield self.failed(
                    arn,
                    f"Security group {sg_label(group)} allows all traffic in: {'; '.join(r.describe() for r in wide)}. "
                    "Allow only the protocol and port each source needs.",
                    evidence={"pointer": wide[0].pointer, **rule_evidence(wide)},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"Security group {sg_label(group)} has no all-traffic inbound rules.", ids=ids)
