from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class GroupMembershipEscalation(EscalationCheck):
    family = "group-membership"
    metadata = CheckMetadata(
        id="iam_no_escalation_group_membership",
        title="No user can add itself to an administrator group",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="iam:AddUserToGroup on a group holding administrator policies makes the caller a member and an administrator.",
        remediation=Remediation(
            cli="aws iam put-user-policy ...  (remove iam:AddUserToGroup on administrator groups)",
            console="IAM > the principal's policies: remove iam:AddUserToGroup or limit it to groups without administrator policies.",
        ),
    )
