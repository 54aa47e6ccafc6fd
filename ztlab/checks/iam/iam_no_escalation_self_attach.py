from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class SelfAttachEscalation(EscalationCheck):
    family = "self-attach"
    metadata = CheckMetadata(
        id="iam_no_escalation_self_attach",
        title="No principal can attach or write policies on itself",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="Attach*Policy or Put*Policy on one's own user, role or group adds AdministratorAccess or an inline Allow * in one call.",
        remediation=Remediation(
            cli="aws iam detach-user-policy ...  (scope iam:Attach*/Put* policy actions to other principals, under a permissions boundary)",
            console="IAM > the principal's policies: deny iam:Attach*Policy and iam:Put*Policy on its own ARN (aws:PrincipalArn) or require a permissions boundary.",
        ),
    )
