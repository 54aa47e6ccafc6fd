"""The two S3-endpoint checks over hand-built snapshots: route coverage and endpoint policy scope."""

from __future__ import annotations

import json

import pytest

from ztlab.checks import get_check
from ztlab.snapshot.model import AccountSnapshot, Ec2Section, S3Bucket, S3Section

ACCOUNT = "123456789012"
VPC = "vpc-0app"


def snapshot(endpoint: dict | None, *, tables: list[dict] | None = None) -> AccountSnapshot:
    subnets = [{"SubnetId": "subnet-a", "VpcId": VPC}, {"SubnetId": "subnet-b", "VpcId": VPC}, {"SubnetId": "subnet-c", "VpcId": VPC}]
    tables = tables if tables is not None else [
        {"RouteTableId": "rtb-main", "VpcId": VPC, "Associations": [{"Main": True}]},
        {"RouteTableId": "rtb-a", "VpcId": VPC, "Associations": [{"SubnetId": "subnet-a"}]},
        {"RouteTableId": "rtb-b", "VpcId": VPC, "Associations": [{"SubnetId": "subnet-b"}]},
    ]
    endpoints = [dict({"VpcEndpointId": "vpce-1", "VpcId": VPC, "ServiceName": "com.amazonaws.us-east-1.s3",
                       "VpcEndpointType": "Gateway", "State": "available"}, **endpoint)] if endpoint is not None else []
    return AccountSnapshot(
        account_id=ACCOUNT, region="us-east-1",
        ec2=Ec2Section(vpcs=[{"VpcId": VPC, "CidrBlock": "10.50.0.0/16"}], subnets=subnets, route_tables=tables, vpc_endpoints=endpoints),
        s3=S3Section(buckets=[S3Bucket(name="app-data", arn="arn:aws:s3:::app-data")]),
    )


def status(check_id: str, snap: AccountSnapshot) -> tuple[str, str]:
    [finding] = get_check(check_id).run(snap)
    return finding.status, finding.message


@pytest.mark.parametrize("tables,expected", [
    (["rtb-a", "rtb-b", "rtb-main"], "PASS"),
    (["rtb-a", "rtb-b"], "FAIL"),  # subnet-c has no explicit table: it uses the main one
    (["rtb-a"], "FAIL"),
    ([], "FAIL"),
])
def test_gateway_endpoint_must_be_in_every_used_route_table(tables, expected):
    result, message = status("vpc_s3_endpoint_all_route_tables", snapshot({"RouteTableIds": tables}))
    assert result == expected, message


def test_no_endpoint_fails_and_interface_endpoint_passes():
    assert status("vpc_s3_endpoint_all_route_tables", snapshot(None))[0] == "FAIL"
    assert status("vpc_s3_endpoint_all_route_tables", snapshot({"VpcEndpointType": "Interface"}))[0] == "PASS"


def policy(*statements) -> dict:
    return {"PolicyDocument": json.dumps({"Version": "2012-10-17", "Statement": list(statements)})}


FULL = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
DATA_ONLY = {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
             "Resource": ["arn:aws:s3:::app-data", "arn:aws:s3:::app-data/*"]}


@pytest.mark.parametrize("name,endpoint,expected", [
    ("default-full-access", policy(FULL), "FAIL"),
    ("no-policy", {}, "FAIL"),
    ("data-bucket-only", policy(DATA_ONLY), "PASS"),
    ("own-account-by-condition", policy({**FULL, "Condition": {"StringEquals": {"s3:ResourceAccount": ACCOUNT}}}), "PASS"),
    ("app-role-only", policy({**DATA_ONLY, "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"}}), "PASS"),
    ("s3-star-on-every-bucket", policy({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::*"}), "FAIL"),
    ("deny-everything", policy({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}), "FAIL"),
    ("narrow-allow-plus-wide-get", policy(DATA_ONLY, {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}), "FAIL"),
])
def test_endpoint_policy_reaches_only_own_buckets(name, endpoint, expected):
    result, message = status("vpc_endpoint_s3_policy_restricted", snapshot(endpoint))
    assert result == expected, f"{name}: {message}"
