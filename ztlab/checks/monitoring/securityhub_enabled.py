from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SecurityHubEnabled(Check):
    sections = ("securityhub",)
    metadata = CheckMetadata(
        id="securityhub_enabled",
        title="Security Hub is enabled",
        service="securityhub",
        principle="continuous-monitoring",
        severity="medium",
        rationale="Security Hub runs the FSBP and CIS controls continuously and gathers GuardDuty, Inspector "
        "and Access Analyzer findings in one place, so drift is noticed when it happens, not at the next audit.",
        remediation=Remediation(
            cli="aws securityhub enable-security-hub --enable-default-standards",
            console="Security Hub > Go to Security Hub > Enable Security Hub (keep the default standards ticked).",
        ),
        controls=Controls(cis=("4.16",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id, snapshot.account_arn]
        hub = snapshot.securityhub.hub
        if hub:
            standards = len(snapshot.securityhub.standards)
            yield self.passed(hub.get("HubArn") or snapshot.account_arn,
                              f"Security Hub is enabled with {standards} standard(s).", ids=ids)
        else:
            yield self.failed(f"arn:aws:securityhub:{snapshot.region}:{snapshot.account_id}:hub/default",
                              f"Security Hub is not enabled in {snapshot.region}.", ids=ids)
