from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject, Unreadable
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, KmsKey


class KmsKeyRotationEnabled(ResourceCheck):
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

    empty_message = "The account has no customer managed KMS keys."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[KmsKey]:
        return [k for k in snapshot.kms.keys if k.customer_managed or k.errors.get("metadata")]

    def names(self, snapshot: AccountSnapshot, key: KmsKey) -> tuple[str, list[str]]:
        return key.arn or key.key_id, [key.key_id, *key.aliases]

    def judge(self, snapshot: AccountSnapshot, key: KmsKey, subject: Subject) -> Finding:
        if key.errors.get("metadata"):
            raise Unreadable(f"key {key.key_id} could not be described: {key.errors['metadata']}")
        meta = key.metadata
        if meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
            return subject.not_applicable(f"Key {key.key_id} is scheduled for deletion.")
        symmetric = meta.get("KeySpec", meta.get("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT")) == "SYMMETRIC_DEFAULT"
        if not symmetric or meta.get("Origin", "AWS_KMS") != "AWS_KMS":
            return subject.not_applicable(f"Key {key.key_id} ({meta.get('KeySpec')}, origin {meta.get('Origin')}) cannot rotate automatically.")
        if key.rotation_enabled is None:
            raise Unreadable(f"the rotation status of key {key.key_id} could not be read: {key.errors.get('rotation', 'not reported')}")
        if key.rotation_enabled:
            return subject.passed(f"Key {key.key_id} rotates automatically.")
        return subject.failed(f"Key {key.key_id} never rotates its key material.", evidence={"pointer": "/KeyRotationEnabled", "value": False})
