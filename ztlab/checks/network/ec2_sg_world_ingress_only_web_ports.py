from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.network._exposure import groups_or_unknown
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label, world_open_ports
from ztlab.snapshot import AccountSnapshot

WEB_PORTS = {80, 443}


class SecurityGroupWorldIngressOnlyWebPorts(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_world_ingress_only_web_ports",
        title="Only HTTP (80) and HTTPS (443) may be open to the internet",
        service="ec2",
        principle="micro-segmentation",
        severity="high",
        rationale="A public web tier needs ports 80 and 443 and nothing else. Every other port open to the "
        "internet is attack surface that no legitimate public client needs.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=<tcp|udp|-1>,FromPort=<from>,ToPort=<to>,IpRanges=[{CidrIp=0.0.0.0/0}]'",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: keep internet sources only on "
            "ports 80 and 443; restrict every other rule to specific security groups or addresses.",
        ),
        controls=Controls(fsbp=("EC2.18",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            rules = group_rules(group, "ingress", snapshot)
            open_segments = []
            for protocol in ("tcp", "udp"):
                for lo, hi, opened in world_open_ports(rules, protocol):
                    ports = set(range(lo, hi + 1)) if hi - lo < 4 else None
                    if ports is not None and protocol == "tcp" and ports <= WEB_PORTS:
                        continue
                    open_segments.append((protocol, lo, hi, opened))
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if not open_segments:
                yield self.passed(arn, f"Security group {sg_label(group)} opens at most ports 80 and 443 to the internet.", ids=ids)
                continue
            offending = list(dict.fromkeys(r for *_, rs in open_segments for r in rs))
            ranges = ", ".join(f"{p.upper()} {lo}" + (f"-{hi}" if hi != lo else "") for p, lo, hi, _ in open_segments)
            yield self.failed(
                arn,
                f"Security group {sg_label(group)} opens {ranges} to the internet "
                f"({'; '.join(r.describe() for r in offending)}). Only 80 and 443 should face the internet.",
                evidence={"pointer": offending[0].pointer, **rule_evidence(offending)},
                ids=ids,
            )
