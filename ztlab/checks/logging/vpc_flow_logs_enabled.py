from ztlab.checks._vpcs import VpcCheck
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class VpcFlowLogsEnabled(VpcCheck):
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

    reads = ("ec2.vpcs", "ec2.flow_logs")

    def judge(self, snapshot: AccountSnapshot, vpc: dict, subject: Subject) -> Finding:
        vid = vpc.get("VpcId", "")
        logs = [f for f in snapshot.ec2.flow_logs if f.get("ResourceId") == vid
                and str(f.get("FlowLogStatus", "ACTIVE")).upper() == "ACTIVE"]
        full = [f for f in logs if str(f.get("TrafficType", "ALL")).upper() in ("ALL", "REJECT")]
        if full:
            return subject.passed(f"VPC {vid} has flow log {full[0].get('FlowLogId')} ({full[0].get('TrafficType', 'ALL')} traffic).")
        if logs:
            return subject.failed(f"VPC {vid} logs only accepted traffic; rejected traffic (probes, blocked attacks) is not recorded.")
        return subject.failed(f"VPC {vid} has no active flow log.")
