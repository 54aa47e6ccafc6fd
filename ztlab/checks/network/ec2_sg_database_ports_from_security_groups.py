from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.network._exposure import DATABASE_PORTS, groups_or_unknown
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label
from ztlab.snapshot import AccountSnapshot


class DatabasePortsFromSecurityGroups(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_database_ports_from_security_groups",
        title="Database ports admit only security-group references, never address ranges",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="A data tier should trust the application tier by identity (its security group), which "
        "follows instances as they scale and move, not by IP ranges that any other workload can occupy.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <db-sg-id> --ip-permissions "
            "'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=<cidr>}]' && aws ec2 "
            "authorize-security-group-ingress --group-id <db-sg-id> --protocol tcp --port 5432 --source-group <app-sg-id>",
            console="EC2 > Security Groups > the database group > Inbound rules > Edit: set the source of the "
            "database port to the application tier's security group.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            rules = group_rules(group, "ingress", snapshot)
            db_rules = [r for r in rules if any(r.covers(p) for p in DATABASE_PORTS)]
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if not db_rules:
                yield self.not_applicable(arn, f"Security group {sg_label(group)} opens no database port.", ids=ids)
                continue
            by_address = [r for r in db_rules if r.network is not None]
            if by_address:
                ports = sorted({p for r in by_address for p in DATABASE_PORTS if r.covers(p)})
                yield self.failed(
                    arn,
                    f"Security group {sg_label(group)} admits database port(s) {', '.join(map(str, ports[:6]))} by address: "
                    f"{'; '.join(r.describe() for r in by_address)}. Use the application tier's security group as the source.",
                    evidence={"pointer": by_address[0].pointer, **rule_evidence(by_address)},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"Security group {sg_label(group)} admits database ports only from security groups.", ids=ids)
