from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import PolicyCheck
from ztlab.checks.iam._privilege import CustomerPolicy, parse, service_wildcards
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class PolicyNoServiceWildcard(PolicyCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_policy_no_service_wildcard",
        title="No customer policy grants every action of a service (like \"s3:*\")",
        service="iam",
        principle="least-privilege",
        severity="medium",
        rationale="\"s3:*\" includes deleting buckets, rewriting bucket policies and every action AWS adds "
        "in the future. Name the actions the workload calls (\"s3:GetObject\", \"s3:PutObject\"); prefixes "
        "like \"s3:Get*\" are narrower and are not flagged.",
        remediation=Remediation(
            cli="aws iam create-policy-version --policy-arn <arn> --policy-document file://narrowed.json --set-as-default",
            console="IAM > Policies > the policy > Edit: replace \"<service>:*\" with the specific actions used.",
        ),
        controls=Controls(fsbp=("IAM.21",), cis=("1.16",)),
    )

    def judge(self, snapshot: AccountSnapshot, item: CustomerPolicy, subject: Subject) -> Finding:
        wild = service_wildcards(snapshot, parse(item))
        if not wild:
            return subject.passed(f"The {item.label} grants no service-wide wildcard.")
        services = [s for s, _ in wild]
        shown = ", ".join(f"{s}:*" for s in services[:8]) + (f" and {len(services) - 8} more" if len(services) > 8 else "")
        evidence = wild[0][1].evidence()
        evidence.update(policy=item.label, services=services)
        return subject.failed(f"The {item.label} allows every action of {shown} "
                              f"(an action no one listed, {wild[0][1].request.action}, is allowed).", evidence=evidence)
