from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.logging._trails import logging_on, records_all_management_events, trail_arn
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CloudTrailMultiRegionEnabled(Check):
    sections = ("cloudtrail",)
    metadata = CheckMetadata(
        id="cloudtrail_multi_region_enabled",
        title="A multi-region CloudTrail trail is logging all management events",
        service="cloudtrail",
        principle="continuous-monitoring",
        severity="high",
        rationale="Without a trail, nobody can say who did what. It must cover every region (attackers use "
        "the ones you do not watch) and record both read and write management events.",
        remediation=Remediation(
            cli="aws cloudtrail create-trail --name org-trail --s3-bucket-name <log-bucket> --is-multi-region-trail "
            "--enable-log-file-validation --kms-key-id <cmk-arn> && aws cloudtrail start-logging --name org-trail",
            console="CloudTrail > Trails > Create trail: apply to all regions, management events Read and Write, "
            "log file validation and SSE-KMS on.",
        ),
        controls=Controls(fsbp=("CloudTrail.1",), cis=("3.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id]
        trails = snapshot.cloudtrail.trails
        if not trails:
            yield self.failed(snapshot.account_arn, "The account has no CloudTrail trail: API activity is not recorded.", ids=ids)
            return
        unknown, partial = [], []
        for trail in trails:
            if not trail.trail.get("IsMultiRegionTrail"):
                partial.append(f"{trail.trail.get('Name')} covers only {trail.trail.get('HomeRegion', 'one region')}")
                continue
            on, events = logging_on(trail), records_all_management_events(trail)
            if on and events:
                yield self.passed(snapshot.account_arn, f"Trail {trail.trail.get('Name')} logs all management events in every region.",
                                  evidence={"trail": trail_arn(trail)}, ids=ids)
                return
            if on is None or events is None:
                unknown.append(f"{trail.trail.get('Name')}: {'; '.join(trail.errors.values()) or 'status not reported'}")
            elif not on:
                partial.append(f"{trail.trail.get('Name')} is multi-region but logging is stopped")
            else:
                partial.append(f"{trail.trail.get('Name')} is multi-region but skips read or write management events")
        if unknown:
            yield self.unknown(snapshot.account_arn, "no trail was confirmed; could not read " + ", ".join(unknown), ids=ids)
        else:
            yield self.failed(snapshot.account_arn, "No trail logs all management events in every region: " + "; ".join(partial) + ".", ids=ids)
