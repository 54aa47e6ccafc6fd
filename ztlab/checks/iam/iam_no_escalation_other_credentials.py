from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class OtherCredentialsEscalation(EscalationCheck):
    family = "other-credentials"
    metadata = CheckMetadata(
        id="iam_no_escalation_other_credentials",
        title="No principal can create credentials for an administrator user",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="iam:CreateAccessKey, CreateLoginProfile or UpdateLoginProfile on an administrator user hands its keys or console password to the caller.",
        remediation=Remediation(
            cli="aws iam put-user-policy ...  (limit credential actions to ${aws:username})",
            console="IAM > the principal's policies: scope iam:CreateAccessKey / *LoginProfile to arn:aws:iam::<account>:user/${aws:username}.",
        ),
    )
