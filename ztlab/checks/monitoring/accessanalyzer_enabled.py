from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class AccessAnalyzerEnabled(Check):
    sections = ("accessanalyzer",)
    metadata = CheckMetadata(
        id="accessanalyzer_enabled",
        title="IAM Access Analyzer is enabled",
        service="accessanalyzer",
        principle="continuous-monitoring",
        severity="low",
        rationale="Access Analyzer reasons over resource policies and reports every bucket, key, role or queue "
        "that someone outside your account or organization can reach.",
        remediation=Remediation(
            cli="aws accessanalyzer create-analyzer --analyzer-name account-analyzer --type ACCOUNT",
            console="IAM > Access analyzer > Create analyzer: zone of trust 'Current account' (or organization).",
        ),
        controls=Controls(cis=("1.20",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id, snapshot.account_arn]
        active = [a for a in snapshot.accessanalyzer.analyzers if str(a.get("status", "ACTIVE")).upper() == "ACTIVE"]
        if active:
            yield self.passed(active[0].get("arn") or snapshot.account_arn, f"Access Analyzer {active[0].get('name')} is active.", ids=ids)
        else:
            yield self.failed(f"arn:aws:access-analyzer:{snapshot.region}:{snapshot.account_id}:analyzer",
                              f"No active IAM Access Analyzer in {snapshot.region}.", ids=ids)
