from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class UserNoAttachedPolicies(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.iam.users:
            yield self.account_not_applicable(snapshot, "The account has no IAM users.")
        for user in snapshot.iam.users:
            direct = [p.name for p in user.attached_policies] + [f"{n} (inline)" for n in user.inline_policies]
            if direct:
                yield self.failed(user.arn, f"User {user.name} has policies of its own: {', '.join(direct)}.",
                                  evidence={"policies": direct}, ids=[user.name])
            else:
                yield self.passed(user.arn, f"User {user.name} gets permissions only through groups.", ids=[user.name])
