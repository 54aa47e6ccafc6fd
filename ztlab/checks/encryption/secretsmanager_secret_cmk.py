from typing import Iterable

from ztlab.checks._helpers import cmk_verdict
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SecretEncryptedWithCmk(Check):
    sections = ("secretsmanager",)
    metadata = CheckMetadata(
        id="secretsmanager_secret_cmk",
        title="Secrets are encrypted with a customer managed KMS key",
        service="secretsmanager",
        principle="encrypt-everything",
        severity="low",
        rationale="With your own key, reading a secret needs kms:Decrypt on a key whose policy you control, "
        "a second, separately audited permission; the AWS managed key grants that to anyone allowed to read the secret.",
        remediation=Remediation(
            cli="aws secretsmanager update-secret --secret-id <secret> --kms-key-id <cmk-arn>",
            console="Secrets Manager > the secret > Overview > Encryption key > Edit: choose your customer managed key.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.secretsmanager.secrets:
            yield self.account_not_applicable(snapshot, "The account has no Secrets Manager secrets.")
        for secret in snapshot.secretsmanager.secrets:
            arn, name = secret.get("ARN", ""), secret.get("Name", "")
            verdict, why = cmk_verdict(snapshot, secret.get("KmsKeyId"), "secretsmanager")
            if verdict is None:
                yield self.unknown(arn, why, ids=[name])
            elif verdict:
                yield self.passed(arn, f"Secret {name} is encrypted with {why}.", ids=[name])
            else:
                yield self.failed(arn, f"Secret {name} is not protected by a customer managed key: {why}.",
                                  evidence={"pointer": "/KmsKeyId", "value": secret.get("KmsKeyId")}, ids=[name])
