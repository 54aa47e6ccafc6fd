from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class ConfigRecorderEnabled(Check):
    sections = ("config",)
    metadata = CheckMetadata(
        id="config_recorder_enabled",
        title="AWS Config records resource configuration changes",
        service="config",
        principle="continuous-monitoring",
        severity="medium",
        rationale="AWS Config keeps the history of every resource's configuration, which is how you find out "
        "when a security group opened or a bucket became public, and who changed it.",
        remediation=Remediation(
            cli="aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> "
            "--recording-group allSupported=true,includeGlobalResourceTypes=true && aws configservice "
            "put-delivery-channel --delivery-channel name=default,s3BucketName=<bucket> && "
            "aws configservice start-configuration-recorder --configuration-recorder-name default",
            console="AWS Config > Get started: record all resource types (including global ones), choose a bucket, Confirm.",
        ),
        controls=Controls(fsbp=("Config.1",), cis=("3.3",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id, snapshot.account_arn]
        sec = snapshot.config
        resource = f"arn:aws:config:{snapshot.region}:{snapshot.account_id}:configuration-recorder"
        if not sec.recorders:
            yield self.failed(resource, f"No AWS Config recorder exists in {snapshot.region}.", ids=ids)
            return
        why = sec.unreadable("recorder_statuses")
        for recorder in sec.recorders:
            name = recorder.get("name", "default")
            status = next((s for s in sec.recorder_statuses if s.get("name") == name), None)
            group = recorder.get("recordingGroup") or {}
            everything = group.get("allSupported", True) is True
            if why:
                yield self.unknown(f"{resource}/{name}", f"the status of recorder {name} could not be read: {why}", ids=ids)
            elif not status or not status.get("recording"):
                yield self.failed(f"{resource}/{name}", f"Config recorder {name} exists but is not recording.", ids=ids)
            elif not everything:
                yield self.failed(f"{resource}/{name}", f"Config recorder {name} records only some resource types.",
                                  evidence={"pointer": "/recordingGroup/allSupported", "value": group.get("allSupported")}, ids=ids)
            else:
                yield self.passed(f"{resource}/{name}", f"Config recorder {name} records all resource types.", ids=ids)
