from typing import Iterable

from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.checks.organizations._scp import GuardrailCheck, member_admin_can
from ztlab.snapshot import AccountSnapshot

UNUSUAL_REGIONS = ("af-south-1", "ap-southeast-3", "me-central-1", "sa-east-1", "il-central-1")


class ScpRegionRestriction(GuardrailCheck):
    metadata = CheckMetadata(
        id="organizations_scp_region_restriction",
        title="An SCP limits the regions member accounts can use",
        service="organizations",
        principle="least-privilege",
        severity="low",
        rationale="Regions you never use are regions nobody watches. Denying them (aws:RequestedRegion) keeps a "
        "stolen credential from launching resources where your monitoring does not look.",
        remediation=Remediation(
            cli="aws organizations create-policy --type SERVICE_CONTROL_POLICY --name allowed-regions --content file://regions.json "
            "(Deny with NotAction for global services and Condition StringNotEquals aws:RequestedRegion [your regions]) && "
            "aws organizations attach-policy --policy-id <policy-id> --target-id <root-or-ou-id>",
            console="AWS Organizations > Policies > Service control policies > Create policy denying requests outside your "
            "regions (aws:RequestedRegion) > attach to the root or OUs.",
        ),
    )

    def judge(self, snapshot: AccountSnapshot, levels: list, resource: str) -> Iterable[Finding]:
        allowed_everywhere = []
        for region in UNUSUAL_REGIONS:
            pair = ("ec2:RunInstances", f"arn:aws:ec2:{region}:{snapshot.account_id}:instance/*")
            found = member_admin_can(snapshot, levels, [pair], {"aws:RequestedRegion": region})
            if found is None:
                yield self.passed(resource, f"SCPs deny work in regions such as {region}.", ids=[snapshot.account_id])
                return
            allowed_everywhere.append(found)
        yield self.failed(resource, f"No SCP restricts regions: a member administrator may launch instances in "
                          f"{', '.join(UNUSUAL_REGIONS)}.", evidence=allowed_everywhere[0].evidence(), ids=[snapshot.account_id])
