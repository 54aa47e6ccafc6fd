from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


def db_arn(snapshot: AccountSnapshot, db: dict) -> str:
    return db.get("DBInstanceArn") or f"arn:aws:rds:{snapshot.region}:{snapshot.account_id}:db:{db.get('DBInstanceIdentifier', '')}"


def db_ids(db: dict) -> list[str]:
    return [db.get("DBInstanceIdentifier", "")]


class RdsInstanceEncrypted(Check):
    sections = ("rds",)
    metadata = CheckMetadata(
        id="rds_instance_encrypted",
        title="RDS database instances are encrypted at rest",
        service="rds",
        principle="encrypt-everything",
        severity="high",
        rationale="Storage encryption protects the database files, automated backups, read replicas and "
        "snapshots. It can only be chosen at creation: an unencrypted database must be migrated.",
        remediation=Remediation(
            cli="aws rds create-db-snapshot --db-instance-identifier <db> --db-snapshot-identifier <snap> && "
            "aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap-enc> "
            "--kms-key-id <cmk-arn> && aws rds restore-db-instance-from-db-snapshot --db-snapshot-identifier <snap-enc> ...",
            console="RDS > Snapshots > take a snapshot > Actions > Copy snapshot with 'Enable encryption' > Restore it as a new instance.",
        ),
        controls=Controls(fsbp=("RDS.3",), cis=("2.3.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.rds.instances:
            yield self.account_not_applicable(snapshot, "The account has no RDS database instances.")
        for db in snapshot.rds.instances:
            name = db.get("DBInstanceIdentifier", "")
            if db.get("StorageEncrypted"):
                yield self.passed(db_arn(snapshot, db), f"Database {name} is encrypted with {db.get('KmsKeyId', 'a KMS key')}.", ids=db_ids(db))
            else:
                yield self.failed(db_arn(snapshot, db), f"Database {name} stores its data unencrypted.",
                                  evidence={"pointer": "/StorageEncrypted", "value": False}, ids=db_ids(db))
