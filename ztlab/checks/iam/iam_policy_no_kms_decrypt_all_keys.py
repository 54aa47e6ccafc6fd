from typing import Iterable

from ztlab.checks._access import PolicyUnreadable
from ztlab.checks.base import Check
from ztlab.checks.iam._privilege import customer_policies, decrypts_any_key, parse
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class PolicyNoKmsDecryptAllKeys(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_policy_no_kms_decrypt_all_keys",
        title="No customer policy allows decrypting with every KMS key",
        service="iam",
        principle="least-privilege",
        severity="medium",
        rationale="kms:Decrypt on \"*\" lets the holder read everything encrypted under any key in the account "
        "(and keys other accounts share), which defeats the separation that per-workload keys provide.",
        remediation=Remediation(
            cli="aws iam create-policy-version --policy-arn <arn> --set-as-default --policy-document file://p.json  "
            "(with \"Resource\": [\"arn:aws:kms:<region>:<account>:key/<key-id>\"] on kms:Decrypt / kms:ReEncryptFrom)",
            console="IAM > Policies > the policy > Edit: restrict kms:Decrypt and kms:ReEncryptFrom to the key ARNs the workload uses.",
        ),
        controls=Controls(fsbp=("KMS.1", "KMS.2")),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        items = list(customer_policies(snapshot))
        if not items:
            yield self.account_not_applicable(snapshot, "The account has no customer managed or inline policies.")
        for item in items:
            try:
                policy = parse(item)
            except PolicyUnreadable as exc:
                yield self.unknown(item.resource, str(exc), ids=item.ids)
                continue
            found = decrypts_any_key(snapshot, policy)
            if found is None:
                yield self.passed(item.resource, f"The {item.label} does not allow decrypting with arbitrary KMS keys.", ids=item.ids)
            else:
                evidence = found.evidence()
                evidence["policy"] = item.label
                yield self.failed(item.resource, f"The {item.label} allows {found.request.action} on any KMS key "
                                  f"(an arbitrary key, {found.request.resource}, is allowed).", evidence=evidence, ids=item.ids)
