from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class EbsDefaultEncryption(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_ebs_default_encryption",
        title="EBS encryption by default is on in the region",
        service="ec2",
        principle="encrypt-everything",
        severity="medium",
        rationale="With encryption by default, every new volume and snapshot is encrypted without anyone "
        "having to remember; without it, one forgotten flag leaves data readable from a copied snapshot.",
        remediation=Remediation(
            cli="aws ec2 enable-ebs-encryption-by-default && aws ec2 modify-ebs-default-kms-key-id --kms-key-id <cmk-arn>",
            console="EC2 > Dashboard > Account attributes > Data protection and security > EBS encryption > Manage: "
            "tick 'Always encrypt new EBS volumes'.",
        ),
        controls=Controls(fsbp=("EC2.7",), cis=("2.2.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        resource = f"arn:aws:ec2:{snapshot.region}:{snapshot.account_id}:account"
        ids = [snapshot.account_id, snapshot.account_arn]
        why = snapshot.ec2.unreadable("ebs_encryption_by_default")
        if why or snapshot.ec2.ebs_encryption_by_default is None:
            yield self.unknown(resource, f"the EBS default-encryption setting could not be read: {why or 'not reported'}", ids=ids)
        elif snapshot.ec2.ebs_encryption_by_default:
            yield self.passed(resource, f"New EBS volumes in {snapshot.region} are encrypted by default.", ids=ids)
        else:
            yield self.failed(resource, f"EBS encryption by default is off in {snapshot.region}: new volumes may be created unencrypted.",
                              evidence={"pointer": "/EbsEncryptionByDefault", "value": False}, ids=ids)
