from ztlab.checks.iam._escalation import EscalationCheck
from ztlab.checks.model import CheckMetadata, Remediation


class PassroleComputeEscalation(EscalationCheck):
    family = "passrole-compute"
    metadata = CheckMetadata(
        id="iam_no_escalation_passrole_compute",
        title="No principal can pass an administrator role to a compute service",
        service="iam",
        principle="least-privilege",
        severity="critical",
        rationale="iam:PassRole on an administrator role plus ec2:RunInstances (or Lambda, Glue, CloudFormation, Data Pipeline, ECS) lets a principal run its own code with the role's permissions: it is an administrator in two calls.",
        remediation=Remediation(
            cli="aws iam put-role-policy ...  (limit iam:PassRole to the exact roles a workload needs, with iam:PassedToService)",
            console="IAM > the principal's policies: restrict iam:PassRole Resource to specific non-administrator roles and add an iam:PassedToService condition.",
        ),
    )
