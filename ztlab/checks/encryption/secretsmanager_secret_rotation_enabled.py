from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SecretRotationEnabled(Check):
    sections = ("secretsmanager",)
    metadata = CheckMetadata(
        id="secretsmanager_secret_rotation_enabled",
        title="Secrets Manager secrets rotate automatically",
        service="secretsmanager",
        principle="assume-breach",
        severity="medium",
        rationale="A secret that never changes stays useful to whoever copied it, for ever. Rotation bounds "
        "the life of a leaked credential to one rotation period.",
        remediation=Remediation(
            cli="aws secretsmanager rotate-secret --secret-id <secret> --rotation-lambda-arn <lambda-arn> "
            "--rotation-rules AutomaticallyAfterDays=30",
            console="Secrets Manager > the secret > Rotation configuration > Edit rotation: turn on automatic rotation "
            "with a schedule and a rotation function.",
        ),
        controls=Controls(fsbp=("SecretsManager.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.secretsmanager.secrets:
            yield self.account_not_applicable(snapshot, "The account has no Secrets Manager secrets.")
        for secret in snapshot.secretsmanager.secrets:
            arn, name = secret.get("ARN", ""), secret.get("Name", "")
            if secret.get("RotationEnabled"):
                days = (secret.get("RotationRules") or {}).get("AutomaticallyAfterDays")
                yield self.passed(arn, f"Secret {name} rotates automatically" + (f" every {days} days." if days else "."), ids=[name])
            else:
                yield self.failed(arn, f"Secret {name} has no automatic rotation.", evidence={"pointer": "/RotationEnabled", "value": False}, ids=[name])
