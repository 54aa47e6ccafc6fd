from ztlab.checks.base import Subject
from ztlab.checks.encryption._secrets import SecretCheck
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SecretRotationEnabled(SecretCheck):
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

    def judge(self, snapshot: AccountSnapshot, secret: dict, subject: Subject) -> Finding:
        name = secret.get("Name", "")
        if secret.get("RotationEnabled"):
            days = (secret.get("RotationRules") or {}).get("AutomaticallyAfterDays")
            return subject.passed(f"Secret {name} rotates automatically" + (f" every {days} days." if days else "."))
        return subject.failed(f"Secret {name} has no automatic rotation.", evidence={"pointer": "/RotationEnabled", "value": False})
