from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class EbsVolumeEncrypted(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_ebs_volume_encrypted",
        title="EBS volumes are encrypted",
        service="ec2",
        principle="encrypt-everything",
        severity="medium",
        rationale="An unencrypted volume, and every snapshot taken of it, can be read by whoever obtains a copy. "
        "Encryption ties the data to a KMS key whose use is logged and can be revoked.",
        remediation=Remediation(
            cli="aws ec2 create-snapshot --volume-id <vol-id> && aws ec2 copy-snapshot --source-snapshot-id <snap-id> "
            "--source-region <region> --encrypted --kms-key-id <cmk-arn>, then create a volume from the copy and swap it in.",
            console="EC2 > Snapshots > the volume's snapshot > Actions > Copy snapshot: tick 'Encrypt this snapshot'; "
            "create a volume from it and attach it in place of the old one.",
        ),
        controls=Controls(fsbp=("EC2.3",), cis=("2.2.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("volumes")
        if why:
            yield self.unknown(snapshot.account_arn, f"volumes could not be read: {why}", ids=[snapshot.account_id])
            return
        if not snapshot.ec2.volumes:
            yield self.account_not_applicable(snapshot, "The account has no EBS volumes.")
        for vol in snapshot.ec2.volumes:
            vid = vol.get("VolumeId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{snapshot.account_id}:volume/{vid}"
            if vol.get("Encrypted"):
                yield self.passed(arn, f"Volume {vid} is encrypted.", ids=[vid])
            else:
                yield self.failed(arn, f"Volume {vid} is not encrypted.", evidence={"pointer": "/Encrypted", "value": False}, ids=[vid])
