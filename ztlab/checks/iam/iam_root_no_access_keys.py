from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.iam._credentials import root_fact
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RootNoAccessKeys(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_root_no_access_keys",
        title="The root user has no access keys",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="A root access key can do anything in the account and no policy can restrict it. A leaked "
        "one is a total compromise. Root should sign in only to the console, with MFA, for the rare tasks that need it.",
        remediation=Remediation(
            cli="(sign in as root) aws iam list-access-keys && aws iam delete-access-key --access-key-id <key-id>",
            console="Sign in as root > Account menu > Security credentials > Access keys: Delete every key.",
        ),
        controls=Controls(fsbp=("IAM.4",), cis=("1.4",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id]
        has_keys, source = root_fact(snapshot, ("access_key_1_active", "access_key_2_active"), "AccountAccessKeysPresent")
        if has_keys is None:
            yield self.unknown(snapshot.account_arn, f"root access keys could not be determined: {source}", ids=ids)
        elif has_keys:
            yield self.failed(snapshot.account_arn, f"The root user has an active access key (from the {source}).", ids=ids)
        else:
            yield self.passed(snapshot.account_arn, f"The root user has no access keys (from the {source}).", ids=ids)
