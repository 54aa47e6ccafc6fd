from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.network._exposure import DATABASE_PORTS, groups_or_unknown
from ztlab.network.rules import group_rules, sg_arn, sg_ids, sg_label, world_open_ports
from ztlab.snapshot import AccountSnapshot


def internet_facing(group: dict, snapshot: AccountSnapshot) -> bool:
    rules = group_rules(group, "ingress", snapshot)
    return bool(world_open_ports(rules, "tcp") or world_open_ports(rules, "udp"))


class DataTierNotExposedToInternetTier(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_sg_data_tier_not_exposed_to_internet_tier",
        title="Database tiers are reached through the application tier, not from internet-facing groups",
        service="ec2",
        principle="micro-segmentation",
        severity="high",
        rationale="Tiers chained by security-group references (internet -> web -> app -> db) make an attacker "
        "break each tier in turn. A database that accepts connections from an internet-facing group, or "
        "from the internet itself, skips that chain.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <db-sg-id> --protocol tcp --port <port> "
            "--source-group <web-sg-id> && aws ec2 authorize-security-group-ingress --group-id <db-sg-id> "
            "--protocol tcp --port <port> --source-group <app-sg-id>",
            console="EC2 > Security Groups > the database group > Inbound rules: point the database port at "
            "the application tier's group, which itself accepts traffic only from the web tier.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        by_id = {g.get("GroupId"): g for g in groups}
        for group in groups:
            db_rules = [r for r in group_rules(group, "ingress", snapshot) if any(r.covers(p) for p in DATABASE_PORTS)]
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if not db_rules:
                yield self.not_applicable(arn, f"Security group {sg_label(group)} opens no database port.", ids=ids)
                continue
            problems = []
            for rule in db_rules:
                if rule.group_ref is None:
                    continue
                source = by_id.get(rule.group_ref)
                if source is None:
                    continue  # a group in another account or VPC: nothing here says it faces the internet
                if source is group and internet_facing(group, snapshot):
                    problems.append((rule, f"the group itself is open to the internet, so any member reached from "
                                           f"the internet may connect ({rule.describe()})"))
                elif source is not group and internet_facing(source, snapshot):
                    problems.append((rule, f"{sg_label(source)} accepts traffic from the internet ({rule.describe()})"))
            if problems:
                yield self.failed(
                    arn,
                    f"Database group {sg_label(group)} trusts an internet-facing tier: "
                    + "; ".join(why for _, why in problems)
                    + ". Only the application tier's group, which the internet cannot reach, should be the source.",
                    evidence={"pointer": problems[0][0].pointer, "pointers": [r.pointer for r, _ in problems],
                              "rules": [r.describe() for r, _ in problems]},
                    ids=ids,
                )
            else:
                yield self.passed(arn, f"Database ports of {sg_label(group)} are reached only from internal tiers.", ids=ids)
