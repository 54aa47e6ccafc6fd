"""A gateway endpoint works only for subnets whose route table carries its route."""

from ztlab.checks._vpcs import VpcCheck
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.network.routes import service_endpoints, subnet_route_tables
from ztlab.snapshot import AccountSnapshot


class VpcS3EndpointAllRouteTables(VpcCheck):
    metadata = CheckMetadata(
        id="vpc_s3_endpoint_all_route_tables",
        title="Every subnet of a VPC reaches S3 through the VPC's S3 endpoint",
        service="ec2",
        principle="micro-segmentation",
        severity="low",
        rationale="A gateway endpoint is a route: subnets whose route table lacks it still send S3 traffic out "
        "through a NAT or internet gateway, where an aws:SourceVpce bucket policy refuses it and an attacker "
        "can reach any bucket on the internet.",
        remediation=Remediation(
            cli="aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --add-route-table-ids <rtb-id> [<rtb-id> ...]",
            console="VPC > Endpoints > the S3 gateway endpoint > Route tables > Manage route tables: tick every route "
            "table your subnets use.",
        ),
    )

    reads = ("ec2.vpcs", "ec2.vpc_endpoints", "ec2.route_tables", "ec2.subnets")

    def names(self, snapshot: AccountSnapshot, vpc: dict) -> tuple[str, list[str]]:
        arn, ids = super().names(snapshot, vpc)
        # The endpoints are named too, so a lab can scope this check to its own endpoint.
        return arn, [*ids, *(e.get("VpcEndpointId", "") for e in service_endpoints(snapshot, vpc.get("VpcId", ""), "s3"))]

    def judge(self, snapshot: AccountSnapshot, vpc: dict, subject: Subject) -> Finding:
        vid = vpc.get("VpcId", "")
        endpoints = service_endpoints(snapshot, vid, "s3")
        tables = subnet_route_tables(snapshot, vid)
        if not tables:
            return subject.not_applicable(f"VPC {vid} has no subnets.")
        if not endpoints:
            return subject.failed(f"VPC {vid} has no S3 endpoint: its subnets reach S3 over the internet.")
        interface = [e for e in endpoints if str(e.get("VpcEndpointType", "")).lower() == "interface"]
        if interface:
            return subject.passed(f"VPC {vid} reaches S3 through the interface endpoint {interface[0].get('VpcEndpointId')}.")
        routed = {t for e in endpoints for t in e.get("RouteTableIds") or []}
        missing = {t: subnets for t, subnets in tables.items() if t not in routed}
        if missing:
            listing = "; ".join(f"{t} (subnets {', '.join(sorted(s))})" for t, s in sorted(missing.items()))
            return subject.failed(f"The S3 gateway endpoint of VPC {vid} is missing from route tables: {listing}. "
                                  "Those subnets still reach S3 over the internet.",
                                  evidence={"endpoints": [e.get("VpcEndpointId") for e in endpoints], "missing_route_tables": sorted(missing)})
        return subject.passed(f"Every route table of VPC {vid} used by a subnet routes S3 through {', '.join(sorted(routed))}'s endpoint.")
