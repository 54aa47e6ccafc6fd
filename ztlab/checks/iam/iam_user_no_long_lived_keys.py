from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class UserNoLongLivedKeys(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.iam.users:
            yield self.account_not_applicable(snapshot, "The account has no IAM users.")
        for user in snapshot.iam.users:
            if user.errors.get("access_keys"):
                yield self.unknown(user.arn, f"the access keys of {user.name} could not be read: {user.errors['access_keys']}", ids=[user.name])
                continue
            active = [k.id for k in user.access_keys if k.status == "Active"]
            if active:
                yield self.failed(user.arn, f"User {user.name} has long-lived access key(s) {', '.join(active)}; use a role instead.",
                                  evidence={"access_key_ids": active}, ids=[user.name])
            else:
                yield self.passed(user.arn, f"User {user.name} has no active access keys.", ids=[user.name])
