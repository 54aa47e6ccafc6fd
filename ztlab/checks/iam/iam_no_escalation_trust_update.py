from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class TrustUpdateEscalation(EscalationCheck):
    family = "trust-update"
    metadata = CheckMetadata(
        id="iam_no_escalation_trust_update",
        title="No principal can rewrite an administrator role's trust policy",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="iam:UpdateAssumeRolePolicy on an administrator role lets a principal trust itself, then assume the role.",
        remediation=Remediation(
            cli="aws iam put-role-policy ...  (remove iam:UpdateAssumeRolePolicy on administrator roles)",
            console="IAM > the principal's policies: remove iam:UpdateAssumeRolePolicy, or limit it to roles that are not administrators.",
        ),
    )
