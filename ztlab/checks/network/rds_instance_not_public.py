from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.encryption.rds_instance_encrypted import db_arn, db_ids
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RdsInstanceNotPublic(Check):
    sections = ("rds",)
    metadata = CheckMetadata(
        id="rds_instance_not_public",
        title="RDS database instances are not publicly accessible",
        service="rds",
        principle="micro-segmentation",
        severity="critical",
        rationale="A publicly accessible database gets a public DNS name and address: one security-group "
        "mistake from the whole internet. Databases belong in private subnets, reached from the app tier.",
        remediation=Remediation(
            cli="aws rds modify-db-instance --db-instance-identifier <db> --no-publicly-accessible --apply-immediately",
            console="RDS > Databases > the database > Modify > Connectivity > Additional configuration: 'Not publicly accessible'.",
        ),
        controls=Controls(fsbp=("RDS.2",), cis=("2.3.3",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.rds.instances:
            yield self.account_not_applicable(snapshot, "The account has no RDS database instances.")
        for db in snapshot.rds.instances:
            name = db.get("DBInstanceIdentifier", "")
            if db.get("PubliclyAccessible"):
                yield self.failed(db_arn(snapshot, db), f"Database {name} is publicly accessible.",
                                  evidence={"pointer": "/PubliclyAccessible", "value": True}, ids=db_ids(db))
            else:
                yield self.passed(db_arn(snapshot, db), f"Database {name} is reachable only from inside its VPC.", ids=db_ids(db))
