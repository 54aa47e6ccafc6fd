"""The per-secret check the Secrets Manager checks share."""

from __future__ import annotations

from typing import Iterable

from ztlab.checks.base import ResourceCheck
from ztlab.snapshot import AccountSnapshot


class SecretCheck(ResourceCheck):
    empty_message = "The account has no Secrets Manager secrets."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.secretsmanager.secrets

    def names(self, snapshot: AccountSnapshot, secret: dict) -> tuple[str, list[str]]:
        return secret.get("ARN", ""), [secret.get("Name", "")]
