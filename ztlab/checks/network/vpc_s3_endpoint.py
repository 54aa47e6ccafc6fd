from ztlab.checks._vpcs import VpcCheck
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.network.routes import service_endpoints
from ztlab.snapshot import AccountSnapshot


class VpcS3Endpoint(VpcCheck):
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

    reads = ("ec2.vpcs", "ec2.vpc_endpoints")

    def judge(self, snapshot: AccountSnapshot, vpc: dict, subject: Subject) -> Finding:
        vid = vpc.get("VpcId", "")
        endpoints = service_endpoints(snapshot, vid, "s3")
        if endpoints:
            return subject.passed(f"VPC {vid} has an S3 endpoint ({endpoints[0].get('VpcEndpointId')}).")
        return subject.failed(f"VPC {vid} has no S3 VPC endpoint: its S3 traffic must leave through the internet.")
