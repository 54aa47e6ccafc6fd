from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import PolicyCheck
from ztlab.checks.iam._privilege import CustomerPolicy, decrypts_any_key, parse
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class PolicyNoKmsDecryptAllKeys(PolicyCheck):
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

    def judge(self, snapshot: AccountSnapshot, item: CustomerPolicy, subject: Subject) -> Finding:
        found = decrypts_any_key(snapshot, parse(item))
        if found is None:
            return subject.passed(f"The {item.label} does not allow decrypting with arbitrary KMS keys.")
        evidence = found.evidence()
        evidence["policy"] = item.label
        return subject.failed(f"The {item.label} allows {found.request.action} on any KMS key "
                              f"(an arbitrary key, {found.request.resource}, is allowed).", evidence=evidence)
