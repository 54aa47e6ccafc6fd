from typing import Iterable

from ztlab.checks._access import PolicyUnreadable
from ztlab.checks.base import Check
from ztlab.checks.iam._privilege import customer_policies, full_admin, parse
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class PolicyNoFullAdmin(Check):
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
            found = full_admin(snapshot, policy)
            if found is None:
                yield self.passed(item.resource, f"The {item.label} does not grant everything.", ids=item.ids)
            else:
                evidence = found.evidence()
                evidence["policy"] = item.label
                yield self.failed(item.resource, f"The {item.label} grants full administrator access: any action on any "
                                  f"resource is allowed (e.g. {found.request.action}).", evidence=evidence, ids=item.ids)
