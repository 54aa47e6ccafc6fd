from typing import Iterable

from ztlab.checks._access import PolicyUnreadable, caller_text
from ztlab.checks.base import Check
from ztlab.checks.iam._roles import cross_account_question, own_roles
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RoleCrossAccountRequiresExternalId(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        roles = own_roles(snapshot)
        if not roles:
            yield self.account_not_applicable(snapshot, "The account has no IAM roles of its own.")
        for role in roles:
            ids = [role.name]
            try:
                callers, found = cross_account_question(snapshot, role, {"sts:ExternalId": None})
            except PolicyUnreadable as exc:
                yield self.unknown(role.arn, str(exc), ids=ids)
                continue
            if not callers:
                yield self.not_applicable(role.arn, f"Role {role.name} trusts no other AWS account.", ids=ids)
            elif found is None:
                yield self.passed(role.arn, f"Other accounts can assume {role.name} only with the agreed ExternalId.", ids=ids)
            else:
                yield self.failed(role.arn, f"{caller_text(found.request.caller)} can assume role {role.name} without any "
                                  "sts:ExternalId.", evidence=found.evidence(), ids=ids)
