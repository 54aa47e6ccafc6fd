from typing import Iterable

from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.organizations._scp import GuardrailCheck, member_admin_can
from ztlab.snapshot import AccountSnapshot


class ScpDenyLeaveOrganization(GuardrailCheck):
    metadata = CheckMetadata(
        id="organizations_scp_deny_leave_organization",
        title="An SCP stops member accounts from leaving the organization",
        service="organizations",
        principle="assume-breach",
        severity="medium",
        rationale="An attacker with admin rights in a member account can call LeaveOrganization and shed every "
        "SCP, centralized trail and GuardDuty delegation at once. Deny it for everyone in member accounts.",
        remediation=Remediation(
            cli="aws organizations create-policy --type SERVICE_CONTROL_POLICY --name deny-leave --content "
            "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}' "
            "&& aws organizations attach-policy --policy-id <policy-id> --target-id <root-or-ou-id>",
            console="AWS Organizations > Policies > Service control policies > Create policy (Deny organizations:LeaveOrganization) > "
            "attach it to the root or the OUs.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, levels: list, resource: str) -> Iterable[Finding]:
        found = member_admin_can(snapshot, levels, [("organizations:LeaveOrganization", "*")])
        if found is None:
            yield self.passed(resource, "SCPs stop member accounts from leaving the organization.", ids=[snapshot.account_id])
        else:
            yield self.failed(resource, "No SCP stops a member account's administrator from calling organizations:LeaveOrganization.",
                              evidence=found.evidence(), ids=[snapshot.account_id])
