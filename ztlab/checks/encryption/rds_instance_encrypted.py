from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


def db_arn(snapshot: AccountSnapshot, db: dict) -> str:
    return db.get("DBInstanceArn") or f"arn:aws:rds:{snapshot.region}:{snapshot.account_id}:db:{db.get('DBInstanceIdentifier', '')}"


def db_ids(db: dict) -> list[str]:
    return [db.get("DBInstanceIdentifier", "")]


class RdsInstanceEncrypted(ResourceCheck):
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

    empty_message = "The account has no RDS database instances."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.rds.instances

    def names(self, snapshot: AccountSnapshot, db: dict) -> tuple[str, list[str]]:
        return db_arn(snapshot, db), db_ids(db)

    def judge(self, snapshot: AccountSnapshot, db: dict, subject: Subject) -> Finding:
        name = db.get("DBInstanceIdentifier", "")
        if db.get("StorageEncrypted"):
            return subject.passed(f"Database {name} is encrypted with {db.get('KmsKeyId', 'a KMS key')}.")
        return subject.failed(f"Database {name} stores its data unencrypted.", evidence={"pointer": "/StorageEncrypted", "value": False})
