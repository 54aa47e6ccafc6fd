from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.encryption.rds_instance_encrypted import db_arn, db_ids
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot

# engine family -> (parameter, values that force TLS)
TLS_PARAMETERS: dict[str, tuple[str, set[str]]] = {
    "postgres": ("rds.force_ssl", {"1", "true", "on"}),
    "sqlserver": ("rds.force_ssl", {"1", "true", "on"}),
    "mysql": ("require_secure_transport", {"1", "on", "true"}),
    "mariadb": ("require_secure_transport", {"1", "on", "true"}),
}


def engine_family(engine: str) -> str | None:
    engine = engine.lower()
    for family in TLS_PARAMETERS:
        if family in engine:
            return family
    return None


class RdsInstanceRequiresTls(Check):
    sections = ("rds",)
    metadata = CheckMetadata(
        id="rds_instance_requires_tls",
        title="RDS databases refuse connections that do not use TLS",
        service="rds",
        principle="encrypt-everything",
        severity="medium",
        rationale="Without a forced-TLS parameter, clients may connect in clear text and send credentials and "
        "query results readable by anyone on the path. Force it in the parameter group.",
        remediation=Remediation(
            cli="aws rds modify-db-parameter-group --db-parameter-group-name <group> --parameters "
            "ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=pending-reboot  "
            "(MySQL/MariaDB: ParameterName=require_secure_transport,ParameterValue=ON)",
            console="RDS > Parameter groups > the instance's custom group > Edit: set rds.force_ssl to 1 "
            "(require_secure_transport ON for MySQL), then reboot the instance.",
        ),
        controls=Controls(cis=("2.3.3",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.rds.instances:
            yield self.account_not_applicable(snapshot, "The account has no RDS database instances.")
        for db in snapshot.rds.instances:
            name = db.get("DBInstanceIdentifier", "")
            arn, ids = db_arn(snapshot, db), db_ids(db)
            family = engine_family(str(db.get("Engine", "")))
            if family is None:
                yield self.not_applicable(arn, f"Database {name} runs {db.get('Engine')}, which has no forced-TLS parameter here.", ids=ids)
                continue
            parameter, good = TLS_PARAMETERS[family]
            groups = [g.get("DBParameterGroupName") for g in db.get("DBParameterGroups") or []]
            if not groups:
                yield self.failed(arn, f"Database {name} uses no parameter group that sets {parameter}.", ids=ids)
                continue
            verdicts = []
            for i, group in enumerate(groups):
                why = snapshot.rds.unreadable(f"parameter_groups.{group}")
                values = snapshot.rds.parameter_groups.get(group)
                if why or values is None:
                    yield self.unknown(arn, f"parameter group {group} of database {name} could not be read: {why or 'missing'}", ids=ids)
                    break
                value = values.get(parameter)
                verdicts.append((i, group, value))
            else:
                forced = [v for v in verdicts if str(v[2]).strip().lower() in good]
                if forced:
                    yield self.passed(arn, f"Database {name} forces TLS ({parameter}={forced[0][2]} in {forced[0][1]}).", ids=ids)
                else:
                    i, group, value = verdicts[0]
                    shown = "not set (default off)" if value is None else value
                    yield self.failed(arn, f"Database {name} accepts unencrypted connections: {parameter} is {shown} in parameter group {group}.",
                                      evidence={"pointer": f"/DBParameterGroups/{i}", "parameter_group": group, "parameter": parameter, "value": value},
                                      ids=ids)
