"""Small helpers shared by checks of several domains."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ztlab.snapshot import AccountSnapshot


def parse_time(value: Any) -> datetime | None:
    if not value or not isinstance(value, str) or value in ("N/A", "no_information", "not_supported"):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def snapshot_time(snapshot: AccountSnapshot) -> datetime:
    return parse_time(snapshot.taken_at) or datetime.now(timezone.utc)


def age_days(snapshot: AccountSnapshot, value: Any) -> float | None:
    moment = parse_time(value)
    if moment is None:
        return None
    return (snapshot_time(snapshot) - moment).total_seconds() / 86400


def aws_managed_kms_reference(reference: str | None, service: str) -> bool:
    """True when a KMS key reference names the service's AWS managed key (alias/aws/<service>)."""
    return bool(reference) and (reference == f"alias/aws/{service}" or reference.endswith(f":alias/aws/{service}"))


def cmk_verdict(snapshot: AccountSnapshot, reference: str | None, service: str) -> tuple[bool | None, str]:
    """(is customer managed?, explanation). None when the key cannot be judged from the snapshot."""
    if not reference:
        return False, f"it uses the AWS managed key (aws/{service}), not a customer managed key"
    if aws_managed_kms_reference(reference, service):
        return False, f"{reference} is the AWS managed key, not a customer managed key"
    key = snapshot.kms.find(reference)
    if key is None:
        if snapshot.kms.unreadable():
            return None, f"KMS could not be read to check key {reference}: {snapshot.kms.unreadable()}"
        if reference.startswith("arn:") and reference.split(":")[4:5] != [snapshot.account_id]:
            # S3 and others accept any key ARN without checking it: one copied from documentation names
            # a key this account neither controls nor can use, so nothing written with it is readable here.
            return False, (f"key {reference} belongs to account {reference.split(':')[4] or '?'}, not this one: it is not "
                           "a customer managed key of this account (its policy, rotation and even existence are out of your hands)")
        return False, f"key {reference} does not exist in the account (deleted?), so the data cannot be decrypted"
    if not key.customer_managed:
        return False, f"{reference} is an AWS managed key"
    state = key.metadata.get("KeyState", "Enabled")
    if state != "Enabled":
        return False, f"customer managed key {key.key_id} is {state}"
    return True, f"customer managed key {key.key_id}"
