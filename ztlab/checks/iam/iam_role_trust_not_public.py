from typing import Iterable

from ztlab.checks._access import OUTSIDER_IP, PolicyUnreadable, caller_text, contexts, outsider_callers
from ztlab.checks.base import Check
from ztlab.checks.iam._roles import can_assume, own_roles, trust
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import Caller
from ztlab.snapshot import AccountSnapshot


class RoleTrustNotPublic(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        roles = own_roles(snapshot)
        if not roles:
            yield self.account_not_applicable(snapshot, "The account has no IAM roles of its own.")
        for role in roles:
            ids = [role.name]
            try:
                policy = trust(role)
            except PolicyUnreadable as exc:
                yield self.unknown(role.arn, str(exc), ids=ids)
                continue
            ctxs = contexts([policy], outsider=True, base={"aws:SourceIp": OUTSIDER_IP, "aws:SecureTransport": "true"})
            found = can_assume(role, policy, [Caller.anonymous(), *outsider_callers()], ctxs, snapshot.account_id)
            if found is None:
                yield self.passed(role.arn, f"Only named principals can assume {role.name}.", ids=ids)
            else:
                yield self.failed(role.arn, f"Role {role.name} can be assumed by an arbitrary outsider: "
                                  f"{caller_text(found.request.caller)} is allowed.", evidence=found.evidence(), ids=ids)
