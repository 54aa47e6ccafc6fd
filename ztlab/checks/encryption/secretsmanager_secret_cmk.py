from ztlab.checks._helpers import cmk_verdict
from ztlab.checks.base import Subject, Unreadable
from ztlab.checks.encryption._secrets import SecretCheck
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SecretEncryptedWithCmk(SecretCheck):
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

    def judge(self, snapshot: AccountSnapshot, secret: dict, subject: Subject) -> Finding:
        name = secret.get("Name", "")
        verdict, why = cmk_verdict(snapshot, secret.get("KmsKeyId"), "secretsmanager")
        if verdict is None:
            raise Unreadable(why)
        if verdict:
            return subject.passed(f"Secret {name} is encrypted with {why}.")
        return subject.failed(f"Secret {name} is not protected by a customer managed key: {why}.",
                              evidence={"pointer": "/KmsKeyId", "value": secret.get("KmsKeyId")})
