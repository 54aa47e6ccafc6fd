from ztlab.access import caller_text
from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import RoleCheck
from ztlab.checks.iam._roles import cross_account_question
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamRole


class RoleCrossAccountRequiresExternalId(RoleCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_role_cross_account_requires_external_id",
        title="Roles that other accounts may assume require an sts:ExternalId",
        service="iam",
        principle="verify-explicitly",
        severity="high",
        rationale="A third party that assumes roles for many customers can be tricked into using its access to "
        "your role on someone else's behalf (the confused deputy). Requiring the ExternalId you agreed with it "
        "makes every AssumeRole call say whose request it is.",
        remediation=Remediation(
            cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json  (add "
            "\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<agreed-id>\"}, \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}})",
            console="IAM > Roles > the role > Trust relationships > Edit trust policy: add a StringEquals condition on sts:ExternalId.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, role: IamRole, subject: Subject) -> Finding:
        callers, found = cross_account_question(snapshot, role, {"sts:ExternalId": None})
        if not callers:
            return subject.not_applicable(f"Role {role.name} trusts no other AWS account.")
        if found is None:
            return subject.passed(f"Other accounts can assume {role.name} only with the agreed ExternalId.")
        return subject.failed(f"{caller_text(found.request.caller)} can assume role {role.name} without any "
                              "sts:ExternalId.", evidence=found.evidence())
