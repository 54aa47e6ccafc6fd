"""A gateway endpoint works only for subnets whose route table carries its route."""

from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.network.routes import service_endpoints, subnet_route_tables
from ztlab.snapshot import AccountSnapshot


class VpcS3EndpointAllRouteTables(Check):
    sections = ("ec2",)
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for part in ("vpcs", "vpc_endpoints", "route_tables", "subnets"):
            why = snapshot.ec2.unreadable(part)
            if why:
                yield self.unknown(snapshot.account_arn, f"{part.replace('_', ' ')} could not be read: {why}", ids=[snapshot.account_id])
                return
        if not snapshot.ec2.vpcs:
            yield self.account_not_applicable(snapshot, "The account has no VPCs.")
        for vpc in snapshot.ec2.vpcs:
            vid = vpc.get("VpcId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{vpc.get('OwnerId') or snapshot.account_id}:vpc/{vid}"
            endpoints = service_endpoints(snapshot, vid, "s3")
            ids = [vid, *(e.get("VpcEndpointId", "") for e in endpoints)]
            tables = subnet_route_tables(snapshot, vid)
            if not tables:
                yield self.not_applicable(arn, f"VPC {vid} has no subnets.", ids=ids)
                continue
            if not endpoints:
                yield self.failed(arn, f"VPC {vid} has no S3 endpoint: its subnets reach S3 over the internet.", ids=ids)
                continue
            interface = [e for e in endpoints if str(e.get("VpcEndpointType", "")).lower() == "interface"]
            if interface:
                yield self.passed(arn, f"VPC {vid} reaches S3 through the interface endpoint {interface[0].get('VpcEndpointId')}.", ids=ids)
                continue
            routed = {t for e in endpoints for t in e.get("RouteTableIds") or []}
            missing = {t: subnets for t, subnets in tables.items() if t not in routed}
            if missing:
                listing = "; ".join(f"{t} (subnets {', '.join(sorted(s))})" for t, s in sorted(missing.items()))
                yield self.failed(arn, f"The S3 gateway endpoint of VPC {vid} is missing from route tables: {listing}. "
                                  "Those subnets still reach S3 over the internet.",
                                  evidence={"endpoints": [e.get("VpcEndpointId") for e in endpoints], "missing_route_tables": sorted(missing)},
                                  ids=ids)
            else:
                yield self.passed(arn, f"Every route table of VPC {vid} used by a subnet routes S3 through {', '.join(sorted(routed))}'s endpoint.",
                                  ids=ids)
