from typing import Iterable

from ztlab.checks._access import PolicyUnreadable, caller_text
from ztlab.checks.base import Check
from ztlab.checks.iam._roles import cross_account_question, own_roles
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RoleCrossAccountRequiresMfa(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        roles = own_roles(snapshot)
        if not roles:
            yield self.account_not_applicable(snapshot, "The account has no IAM roles of its own.")
        for role in roles:
            ids = [role.name]
            try:
                callers, found = cross_account_question(
                    snapshot, role, [{"aws:MultiFactorAuthPresent": "false"}, {"aws:MultiFactorAuthPresent": None}])
            except PolicyUnreadable as exc:
                yield self.unknown(role.arn, str(exc), ids=ids)
                continue
            if not callers:
                yield self.not_applicable(role.arn, f"Role {role.name} trusts no other AWS account.", ids=ids)
            elif found is None:
                yield self.passed(role.arn, f"Other accounts can assume {role.name} only with MFA.", ids=ids)
            else:
                mfa = found.request.context.get("aws:multifactorauthpresent", "absent")
                yield self.failed(role.arn, f"{caller_text(found.request.caller)} can assume role {role.name} without MFA "
                                  f"(aws:MultiFactorAuthPresent {mfa}).", evidence=found.evidence(), ids=ids)
