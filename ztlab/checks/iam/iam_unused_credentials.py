from ztlab.checks._helpers import age_days
from ztlab.checks.base import Subject, Unreadable
from ztlab.checks.iam._kinds import UserCheck
from ztlab.checks.iam._credentials import truthy, user_row
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamUser

UNUSED_DAYS = 45


class UnusedCredentials(UserCheck):
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

    def judge(self, snapshot: AccountSnapshot, user: IamUser, subject: Subject) -> Finding:
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
            return subject.failed(f"User {user.name} has stale credentials: {'; '.join(stale)}.")
        if row is None and not user.access_keys:
            raise Unreadable(f"{user.name} is missing from the credential report: "
                             f"{snapshot.iam.unreadable('credential_report') or 'not listed'}")
        return subject.passed(f"User {user.name} has no credentials unused for more than {UNUSED_DAYS} days.")
