from ztlab.access import caller_text, outsider_callers
from ztlab.checks._questions import OUTSIDER_IP, contexts
from ztlab.checks.base import Subject
from ztlab.checks.iam._kinds import RoleCheck
from ztlab.checks.iam._roles import can_assume, trust
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import Caller
from ztlab.snapshot import AccountSnapshot, IamRole


class RoleTrustNotPublic(RoleCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_role_trust_not_public",
        title="No role can be assumed by any AWS account or anonymously",
        service="iam",
        principle="verify-explicitly",
        severity="critical",
        rationale="A trust policy with Principal \"*\" (or one whose only condition is something the caller "
        "chooses, like an ExternalId) lets anybody with an AWS account step into the role.",
        remediation=Remediation(
            cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json  "
            "(name the exact accounts or roles, or add aws:PrincipalOrgID)",
            console="IAM > Roles > the role > Trust relationships > Edit trust policy: replace \"*\" with specific principals.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, role: IamRole, subject: Subject) -> Finding:
        policy = trust(role)
        ctxs = contexts([policy], outsider=True, base={"aws:SourceIp": OUTSIDER_IP, "aws:SecureTransport": "true"})
        found = can_assume(role, policy, [Caller.anonymous(), *outsider_callers()], ctxs, snapshot.account_id)
        if found is None:
            return subject.passed(f"Only named principals can assume {role.name}.")
        return subject.failed(f"Role {role.name} can be assumed by an arbitrary outsider: "
                              f"{caller_text(found.request.caller)} is allowed.", evidence=found.evidence())
