from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RdsSnapshotEncrypted(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.rds.unreadable("snapshots")
        if why:
            yield self.unknown(snapshot.account_arn, f"RDS snapshots could not be read: {why}", ids=[snapshot.account_id])
            return
        if not snapshot.rds.snapshots:
            yield self.account_not_applicable(snapshot, "The account has no RDS snapshots.")
        for snap in snapshot.rds.snapshots:
            name = snap.get("DBSnapshotIdentifier", "")
            arn = snap.get("DBSnapshotArn") or f"arn:aws:rds:{snapshot.region}:{snapshot.account_id}:snapshot:{name}"
            if snap.get("Encrypted"):
                yield self.passed(arn, f"Snapshot {name} is encrypted.", ids=[name])
            else:
                yield self.failed(arn, f"Snapshot {name} of {snap.get('DBInstanceIdentifier')} is not encrypted.",
                                  evidence={"pointer": "/Encrypted", "value": False}, ids=[name])
