from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class VpcFlowLogsEnabled(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="vpc_flow_logs_enabled",
        title="VPC flow logs are on for every VPC",
        service="ec2",
        principle="continuous-monitoring",
        severity="medium",
        rationale="Flow logs record who talked to whom in the network. Without them, lateral movement and "
        "data exfiltration leave no trace, and GuardDuty loses one of its sources.",
        remediation=Remediation(
            cli="aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL "
            "--log-destination-type cloud-watch-logs --log-group-name <group> --deliver-logs-permission-arn <role-arn>",
            console="VPC > Your VPCs > the VPC > Flow logs > Create flow log: filter All, choose a destination.",
        ),
        controls=Controls(fsbp=("EC2.6",), cis=("3.7",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for part in ("vpcs", "flow_logs"):
            why = snapshot.ec2.unreadable(part)
            if why:
                yield self.unknown(snapshot.account_arn, f"{part.replace('_', ' ')} could not be read: {why}", ids=[snapshot.account_id])
                return
        if not snapshot.ec2.vpcs:
            yield self.account_not_applicable(snapshot, "The account has no VPCs.")
        for vpc in snapshot.ec2.vpcs:
            vid = vpc.get("VpcId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{vpc.get('OwnerId') or snapshot.account_id}:vpc/{vid}"
            logs = [f for f in snapshot.ec2.flow_logs if f.get("ResourceId") == vid
                    and str(f.get("FlowLogStatus", "ACTIVE")).upper() == "ACTIVE"]
            full = [f for f in logs if str(f.get("TrafficType", "ALL")).upper() in ("ALL", "REJECT")]
            if full:
                yield self.passed(arn, f"VPC {vid} has flow log {full[0].get('FlowLogId')} ({full[0].get('TrafficType', 'ALL')} traffic).", ids=[vid])
            elif logs:
                yield self.failed(arn, f"VPC {vid} logs only accepted traffic; rejected traffic (probes, blocked attacks) is not recorded.", ids=[vid])
            else:
                yield self.failed(arn, f"VPC {vid} has no active flow log.", ids=[vid])
