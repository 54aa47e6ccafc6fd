from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class GuardDutyEnabled(Check):
    sections = ("guardduty",)
    metadata = CheckMetadata(
        id="guardduty_enabled",
        title="GuardDuty threat detection is enabled",
        service="guardduty",
        principle="continuous-monitoring",
        severity="high",
        rationale="Assume breach means looking for one: GuardDuty watches CloudTrail, VPC flow and DNS logs "
        "for stolen credentials, crypto-mining and reconnaissance, without agents.",
        remediation=Remediation(
            cli="aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES",
            console="GuardDuty > Get started > Enable GuardDuty.",
        ),
        controls=Controls(fsbp=("GuardDuty.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        resource = f"arn:aws:guardduty:{snapshot.region}:{snapshot.account_id}:detector"
        ids = [snapshot.account_id, snapshot.account_arn]
        enabled = [d for d in snapshot.guardduty.detectors if str(d.get("Status", "")).upper() == "ENABLED"]
        if enabled:
            detector = enabled[0].get("DetectorId", "")
            yield self.passed(f"{resource}/{detector}", f"GuardDuty detector {detector} is enabled in {snapshot.region}.", ids=ids)
        elif snapshot.guardduty.detectors:
            yield self.failed(resource, f"GuardDuty has a detector in {snapshot.region} but it is suspended.", ids=ids)
        else:
            yield self.failed(resource, f"GuardDuty is not enabled in {snapshot.region}.", ids=ids)
