from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class PolicyVersionEscalation(EscalationCheck):
    family = "policy-version"
    metadata = CheckMetadata(
        id="iam_no_escalation_policy_version",
        title="No principal can rewrite the managed policies that govern it",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="iam:CreatePolicyVersion (with --set-as-default) or SetDefaultPolicyVersion on a policy attached to oneself replaces one's own permissions with any document, Allow * included.",
        remediation=Remediation(
            cli="aws iam put-user-policy ...  (remove iam:CreatePolicyVersion and iam:SetDefaultPolicyVersion, or scope them away from policies attached to the principal)",
            console="IAM > Policies: remove iam:CreatePolicyVersion / iam:SetDefaultPolicyVersion from the principal, or limit them to policies it is not governed by.",
        ),
    )
