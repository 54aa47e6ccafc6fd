"""Shared shape of "is this port reachable from the whole internet" security-group checks."""

from __future__ import annotations

from typing import ClassVar, Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import Finding
from ztlab.network.rules import group_rules, rule_evidence, sg_arn, sg_ids, sg_label, world_rules
from ztlab.snapshot import AccountSnapshot

DATABASE_PORTS: dict[int, str] = {
    1433: "SQL Server", 1434: "SQL Server browser", 1521: "Oracle", 2483: "Oracle", 2484: "Oracle TLS",
    3306: "MySQL/MariaDB", 5432: "PostgreSQL", 5439: "Redshift", 6379: "Redis", 9042: "Cassandra",
    11211: "Memcached", 27017: "MongoDB", 27018: "MongoDB", 9200: "OpenSearch", 9300: "OpenSearch",
}


def groups_or_unknown(check: Check, snapshot: AccountSnapshot) -> tuple[list[dict], list[Finding]]:
    """The security groups, or the finding that explains why there is nothing to judge."""
    why = snapshot.ec2.unreadable("security_groups")
    if why:
        return [], [check.unknown(snapshot.account_arn, f"security groups could not be read: {why}", ids=[snapshot.account_id])]
    if not snapshot.ec2.security_groups:
        return [], [check.account_not_applicable(snapshot, "The account has no security groups.")]
    return snapshot.ec2.security_groups, []


class WorldPortCheck(Check):
    """FAIL every group that opens one of `ports` to the world, over IPv4 or IPv6, in any spelling."""

    sections = ("ec2",)
    ports: ClassVar[dict[int, str]]
    protocols: ClassVar[tuple[str, ...]] = ("tcp",)

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        groups, early = groups_or_unknown(self, snapshot)
        yield from early
        for group in groups:
            rules = group_rules(group, "ingress", snapshot)
            exposed: list[tuple[int, str, list]] = []
            for port, label in self.ports.items():
                for protocol in self.protocols:
                    opened = world_rules(rules, port, protocol)
                    if opened:
                        exposed.append((port, label, opened))
            arn, ids = sg_arn(snapshot, group), sg_ids(group)
            if not exposed:
                yield self.passed(arn, f"Security group {sg_label(group)} does not open {self._port_names()} to the internet.", ids=ids)
                continue
            offending = list(dict.fromkeys(r for _, _, rs in exposed for r in rs))
            ports = ", ".join(f"{port} ({label})" for port, label, _ in exposed)
            rules_text = "; ".join(r.describe() for r in offending)
            yield self.failed(
                arn,
                f"Security group {sg_label(group)} lets anyone on the internet reach port {ports}: {rules_text}. "
                "Allow only the addresses or security groups that need it.",
                evidence={"pointer": offending[0].pointer, **rule_evidence(offending), "ports": [p for p, _, _ in exposed]},
                ids=ids,
            )

    def _port_names(self) -> str:
        return ", ".join(f"{p} ({label})" for p, label in self.ports.items())
