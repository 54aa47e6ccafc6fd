from ztlab.checks.base import Subject, Unreadable
from ztlab.checks.iam._kinds import UserCheck
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamUser


class UserNoLongLivedKeys(UserCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_user_no_long_lived_keys",
        title="Workloads and people use temporary credentials, not IAM user access keys",
        service="iam",
        principle="assume-breach",
        severity="low",
        rationale="An access key works from anywhere until someone deletes it. Roles (instance profiles, "
        "IAM Roles Anywhere, OIDC federation, IAM Identity Center) hand out credentials that expire in hours.",
        remediation=Remediation(
            cli="aws iam create-role --role-name <app-role> --assume-role-policy-document file://trust.json; move the "
            "workload to the role; aws iam delete-access-key --user-name <user> --access-key-id <key-id>",
            console="IAM > Roles > Create role for the workload; then IAM > Users > the user > Security credentials: delete the key.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, user: IamUser, subject: Subject) -> Finding:
        if user.errors.get("access_keys"):
            raise Unreadable(f"the access keys of {user.name} could not be read: {user.errors['access_keys']}")
        active = [k.id for k in user.access_keys if k.status == "Active"]
        if active:
            return subject.failed(f"User {user.name} has long-lived access key(s) {', '.join(active)}; use a role instead.",
                                  evidence={"access_key_ids": active})
        return subject.passed(f"User {user.name} has no active access keys.")
