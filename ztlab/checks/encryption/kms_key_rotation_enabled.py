from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class KmsKeyRotationEnabled(Check):
    sections = ("kms",)
    metadata = CheckMetadata(
        id="kms_key_rotation_enabled",
        title="Customer managed KMS keys rotate automatically",
        service="kms",
        principle="encrypt-everything",
        severity="medium",
        rationale="Automatic rotation replaces the key material every year (or the period you choose) while "
        "old ciphertexts stay readable, which limits how much data any one piece of key material protects.",
        remediation=Remediation(
            cli="aws kms enable-key-rotation --key-id <key-id>",
            console="KMS > Customer managed keys > the key > Key rotation: tick 'Automatically rotate this KMS key every year'.",
        ),
        controls=Controls(fsbp=("KMS.4",), cis=("3.6",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        keys = [k for k in snapshot.kms.keys if k.customer_managed or k.errors.get("metadata")]
        if not keys:
            yield self.account_not_applicable(snapshot, "The account has no customer managed KMS keys.")
        for key in keys:
            ids = [key.key_id, *key.aliases]
            if key.errors.get("metadata"):
                yield self.unknown(key.arn or key.key_id, f"key {key.key_id} could not be described: {key.errors['metadata']}", ids=ids)
                continue
            meta = key.metadata
            if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
                yield self.not_applicable(key.arn, f"Key {key.key_id} is scheduled for deletion.", ids=ids)
                continue
            symmetric = meta.get("KeySpec", meta.get("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT")) == "SYMMETRIC_DEFAULT"
            if not symmetric or meta.get("Origin", "AWS_KMS") != "AWS_KMS":
                yield self.not_applicable(key.arn, f"Key {key.key_id} ({meta.get('KeySpec')}, origin {meta.get('Origin')}) cannot rotate automatically.", ids=ids)
                continue
            if key.rotation_enabled is None:
                yield self.unknown(key.arn, f"the rotation status of key {key.key_id} could not be read: {key.errors.get('rotation', 'not reported')}", ids=ids)
            elif key.rotation_enabled:
                yield self.passed(key.arn, f"Key {key.key_id} rotates automatically.", ids=ids)
            else:
                yield self.failed(key.arn, f"Key {key.key_id} never rotates its key material.",
                                  evidence={"pointer": "/KeyRotationEnabled", "value": False}, ids=ids)
