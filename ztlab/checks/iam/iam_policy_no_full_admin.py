from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import PolicyCheck
from ztlab.checks.iam._privilege import CustomerPolicy, full_admin, parse
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class PolicyNoFullAdmin(PolicyCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_policy_no_full_admin",
        title="No customer policy grants every action on every resource (\"*:*\")",
        service="iam",
        principle="least-privilege",
        severity="high",
        rationale="A policy that allows everything turns any leaked credential of its holder into full control "
        "of the account. Grant the actions a job needs; keep break-glass administration in one tightly "
        "guarded role. A narrow Deny or a condition the holder can meet does not change that.",
        remediation=Remediation(
            cli="aws iam create-policy-version --policy-arn <arn> --policy-document file://least-privilege.json --set-as-default  "
            "(inline: aws iam put-user-policy / put-role-policy with the narrowed document)",
            console="IAM > Policies > the policy > Edit: replace Action \"*\" / Resource \"*\" with the specific actions "
            "and resources needed (IAM Access Analyzer can generate one from CloudTrail activity).",
        ),
        controls=Controls(fsbp=("IAM.1",), cis=("1.16",)),
    )

    def judge(self, snapshot: AccountSnapshot, item: CustomerPolicy, subject: Subject) -> Finding:
        found = full_admin(snapshot, parse(item))
        if found is None:
            return subject.passed(f"The {item.label} does not grant everything.")
        evidence = found.evidence()
        evidence["policy"] = item.label
        return subject.failed(f"The {item.label} grants full administrator access: any action on any "
                              f"resource is allowed (e.g. {found.request.action}).", evidence=evidence)
