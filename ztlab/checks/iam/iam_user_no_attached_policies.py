from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import UserCheck
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamUser


class UserNoAttachedPolicies(UserCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_user_no_attached_policies",
        title="IAM users get permissions through groups or roles, not policies on the user",
        service="iam",
        principle="least-privilege",
        severity="low",
        rationale="Permissions pinned to individual users drift: nobody reviews them when the person changes "
        "jobs. Groups and roles keep the answer to 'who can do what' in a few reviewed places.",
        remediation=Remediation(
            cli="aws iam add-user-to-group --user-name <user> --group-name <group> && aws iam detach-user-policy "
            "--user-name <user> --policy-arn <arn> && aws iam delete-user-policy --user-name <user> --policy-name <name>",
            console="IAM > Users > the user > Permissions: remove directly attached and inline policies; add the user to a group instead.",
        ),
        controls=Controls(fsbp=("IAM.2",), cis=("1.15",)),
    )

    def judge(self, snapshot: AccountSnapshot, user: IamUser, subject: Subject) -> Finding:
        direct = [p.name for p in user.attached_policies] + [f"{n} (inline)" for n in user.inline_policies]
        if direct:
            return subject.failed(f"User {user.name} has policies of its own: {', '.join(direct)}.", evidence={"policies": direct})
        return subject.passed(f"User {user.name} gets permissions only through groups.")
