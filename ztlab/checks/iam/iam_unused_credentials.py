from typing import Iterable

from ztlab.checks._helpers import age_days
from ztlab.checks.base import Check
from ztlab.checks.iam._credentials import truthy, user_row
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot

UNUSED_DAYS = 45


class UnusedCredentials(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_unused_credentials",
        title=f"Credentials unused for {UNUSED_DAYS} days are disabled",
        service="iam",
        principle="least-privilege",
        severity="medium",
        rationale="A password or key nobody uses is pure risk: no one notices when it starts being used again, "
        "by someone else. Remove access that is not needed.",
        remediation=Remediation(
            cli="aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive; "
            "aws iam delete-login-profile --user-name <user>",
            console="IAM > Users > the user > Security credentials: deactivate unused keys and 'Manage console access' > Disable.",
        ),
        controls=Controls(fsbp=("IAM.8",), cis=("1.12",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.iam.users:
            yield self.account_not_applicable(snapshot, "The account has no IAM users.")
        for user in snapshot.iam.users:
            stale = []
            row = user_row(snapshot, user.name)
            if row is not None and truthy(row.get("password_enabled")):
                last = row.get("password_last_used")
                since = age_days(snapshot, last) if age_days(snapshot, last) is not None else age_days(snapshot, row.get("password_last_changed") or user.created)
                if since is not None and since > UNUSED_DAYS:
                    stale.append(f"console password unused for {int(since)} days")
            for key in user.access_keys:
                if key.status != "Active":
                    continue
                since = age_days(snapshot, key.last_used) if key.last_used else age_days(snapshot, key.created)
                if since is not None and since > UNUSED_DAYS:
                    stale.append(f"access key {key.id} unused for {int(since)} days")
            if stale:
                yield self.failed(user.arn, f"User {user.name} has stale credentials: {'; '.join(stale)}.", ids=[user.name])
            elif row is None and not user.access_keys:
                yield self.unknown(user.arn, f"{user.name} is missing from the credential report: "
                                   f"{snapshot.iam.unreadable('credential_report') or 'not listed'}", ids=[user.name])
            else:
                yield self.passed(user.arn, f"User {user.name} has no credentials unused for more than {UNUSED_DAYS} days.", ids=[user.name])
