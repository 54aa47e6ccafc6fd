from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class EbsVolumeEncrypted(ResourceCheck):
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

    empty_message = "The account has no EBS volumes."
    reads = ("ec2.volumes",)

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.ec2.volumes

    def names(self, snapshot: AccountSnapshot, vol: dict) -> tuple[str, list[str]]:
        vid = vol.get("VolumeId", "")
        return f"arn:aws:ec2:{snapshot.region}:{snapshot.account_id}:volume/{vid}", [vid]

    def judge(self, snapshot: AccountSnapshot, vol: dict, subject: Subject) -> Finding:
        vid = vol.get("VolumeId", "")
        if vol.get("Encrypted"):
            return subject.passed(f"Volume {vid} is encrypted.")
        return subject.failed(f"Volume {vid} is not encrypted.", evidence={"pointer": "/Encrypted", "value": False})
