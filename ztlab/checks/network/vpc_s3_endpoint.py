from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class VpcS3Endpoint(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="vpc_s3_endpoint",
        title="VPCs reach S3 through a VPC endpoint",
        service="ec2",
        principle="micro-segmentation",
        severity="low",
        rationale="A gateway (or interface) endpoint keeps S3 traffic on the AWS network, lets bucket policies "
        "require aws:SourceVpce, and lets you close the internet path for private workloads.",
        remediation=Remediation(
            cli="aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway "
            "--service-name com.amazonaws.<region>.s3 --route-table-ids <rtb-id>",
            console="VPC > Endpoints > Create endpoint: service com.amazonaws.<region>.s3, type Gateway, pick the "
            "VPC and its private route tables.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for part in ("vpcs", "vpc_endpoints"):
            why = snapshot.ec2.unreadable(part)
            if why:
                yield self.unknown(snapshot.account_arn, f"{part.replace('_', ' ')} could not be read: {why}", ids=[snapshot.account_id])
                return
        if not snapshot.ec2.vpcs:
            yield self.account_not_applicable(snapshot, "The account has no VPCs.")
        for vpc in snapshot.ec2.vpcs:
            vid = vpc.get("VpcId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{vpc.get('OwnerId') or snapshot.account_id}:vpc/{vid}"
            endpoints = [
                e for e in snapshot.ec2.vpc_endpoints
                if e.get("VpcId") == vid and str(e.get("ServiceName", "")).endswith(".s3")
                and str(e.get("State", "available")).lower() in ("available", "pending", "pendingacceptance")
            ]
            if endpoints:
                yield self.passed(arn, f"VPC {vid} has an S3 endpoint ({endpoints[0].get('VpcEndpointId')}).", ids=[vid])
            else:
                yield self.failed(arn, f"VPC {vid} has no S3 VPC endpoint: its S3 traffic must leave through the internet.", ids=[vid])
