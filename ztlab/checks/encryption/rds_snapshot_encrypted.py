from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RdsSnapshotEncrypted(ResourceCheck):
    sections = ("rds",)
    metadata = CheckMetadata(
        id="rds_snapshot_encrypted",
        title="RDS database snapshots are encrypted",
        service="rds",
        principle="encrypt-everything",
        severity="medium",
        rationale="A snapshot is a full copy of the database that can be shared or restored in another "
        "account. Unencrypted, whoever gets hold of it reads everything.",
        remediation=Remediation(
            cli="aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap>-enc "
            "--kms-key-id <cmk-arn> && aws rds delete-db-snapshot --db-snapshot-identifier <snap>",
            console="RDS > Snapshots > the snapshot > Actions > Copy snapshot: Enable encryption with your key; delete the unencrypted one.",
        ),
        controls=Controls(fsbp=("RDS.4",), cis=("2.3.1",)),
    )

    empty_message = "The account has no RDS snapshots."
    reads = ("rds.snapshots",)

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.rds.snapshots

    def names(self, snapshot: AccountSnapshot, snap: dict) -> tuple[str, list[str]]:
        name = snap.get("DBSnapshotIdentifier", "")
        return snap.get("DBSnapshotArn") or f"arn:aws:rds:{snapshot.region}:{snapshot.account_id}:snapshot:{name}", [name]

    def judge(self, snapshot: AccountSnapshot, snap: dict, subject: Subject) -> Finding:
        name = snap.get("DBSnapshotIdentifier", "")
        if snap.get("Encrypted"):
            return subject.passed(f"Snapshot {name} is encrypted.")
        return subject.failed(f"Snapshot {name} of {snap.get('DBInstanceIdentifier')} is not encrypted.",
                              evidence={"pointer": "/Encrypted", "value": False})
