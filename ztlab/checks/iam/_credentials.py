"""Root and user credential facts from the credential report, the account summary and the user list."""

from __future__ import annotations

from ztlab.snapshot import AccountSnapshot

ROOT_ROW = "<root_account>"


def root_row(snapshot: AccountSnapshot) -> dict[str, str] | None:
    return next((r for r in snapshot.iam.credential_report if r.get("user") == ROOT_ROW), None)


def user_row(snapshot: AccountSnapshot, name: str) -> dict[str, str] | None:
    return next((r for r in snapshot.iam.credential_report if r.get("user") == name), None)


def truthy(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def root_fact(snapshot: AccountSnapshot, report_fields: tuple[str, ...], summary_key: str) -> tuple[bool | None, str]:
    """(fact, source) from the root row of the credential report, else the account summary."""
    row = root_row(snapshot)
    if row is not None:
        return any(truthy(row.get(f)) for f in report_fields), "credential report"
    if summary_key in snapshot.iam.account_summary:
        return bool(snapshot.iam.account_summary[summary_key]), "account summary"
    reasons = [snapshot.iam.errors.get(p) for p in ("credential_report", "account_summary") if snapshot.iam.errors.get(p)]
    return None, "; ".join(reasons) or "neither the credential report nor the account summary reports the root user"
