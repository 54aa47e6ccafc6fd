from typing import Iterable

from ztlab.checks._helpers import age_days
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot

MAX_AGE_DAYS = 90


class AccessKeysRotated(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_access_keys_rotated",
        title=f"Active access keys are younger than {MAX_AGE_DAYS} days",
        service="iam",
        principle="assume-breach",
        severity="medium",
        rationale="Every day a key lives is another day a copy in a laptop, a CI log or a repository keeps "
        "working. Rotate keys, or better, replace them with roles and short-lived credentials.",
        remediation=Remediation(
            cli="aws iam create-access-key --user-name <user>; switch the application to the new key; "
            "aws iam update-access-key --user-name <user> --access-key-id <old> --status Inactive; then delete-access-key",
            console="IAM > Users > the user > Security credentials > Access keys: Create access key, move the "
            "application over, Deactivate and Delete the old one.",
        ),
        controls=Controls(fsbp=("IAM.3",), cis=("1.14",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        users = [u for u in snapshot.iam.users if u.access_keys or u.errors.get("access_keys")]
        if not users:
            yield self.account_not_applicable(snapshot, "No IAM user has an access key.")
        for user in users:
            if user.errors.get("access_keys"):
                yield self.unknown(user.arn, f"the access keys of {user.name} could not be read: {user.errors['access_keys']}", ids=[user.name])
                continue
            for key in user.access_keys:
                ids = [user.name, key.id]
                if key.status != "Active":
                    yield self.not_applicable(user.arn, f"Access key {key.id} of {user.name} is inactive.", ids=ids)
                    continue
                age = age_days(snapshot, key.created)
                if age is None:
                    yield self.unknown(user.arn, f"the creation date of key {key.id} of {user.name} is unknown", ids=ids)
                elif age > MAX_AGE_DAYS:
                    yield self.failed(user.arn, f"Access key {key.id} of {user.name} is {int(age)} days old.",
                                      evidence={"access_key_id": key.id, "created": key.created}, ids=ids)
                else:
                    yield self.passed(user.arn, f"Access key {key.id} of {user.name} is {int(age)} days old.", ids=ids)
