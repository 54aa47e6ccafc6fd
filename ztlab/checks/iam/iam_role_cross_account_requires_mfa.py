from ztlab.access import caller_text
from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import RoleCheck
from ztlab.checks.iam._roles import cross_account_question
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamRole


class RoleCrossAccountRequiresMfa(RoleCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_role_cross_account_requires_mfa",
        title="Roles that other accounts may assume require MFA",
        service="iam",
        principle="verify-explicitly",
        severity="medium",
        rationale="Trusting another account means trusting every credential in it. Requiring "
        "aws:MultiFactorAuthPresent means a leaked access key over there is not enough to get in here.",
        remediation=Remediation(
            cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json  (add "
            "\"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}})",
            console="IAM > Roles > the role > Trust relationships > Edit trust policy: add Bool aws:MultiFactorAuthPresent = true.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, role: IamRole, subject: Subject) -> Finding:
        callers, found = cross_account_question(
            snapshot, role, [{"aws:MultiFactorAuthPresent": "false"}, {"aws:MultiFactorAuthPresent": None}])
        if not callers:
            return subject.not_applicable(f"Role {role.name} trusts no other AWS account.")
        if found is None:
            return subject.passed(f"Other accounts can assume {role.name} only with MFA.")
        mfa = found.request.context.get("aws:multifactorauthpresent", "absent")
        return subject.failed(f"{caller_text(found.request.caller)} can assume role {role.name} without MFA "
                              f"(aws:MultiFactorAuthPresent {mfa}).", evidence=found.evidence())
