"""Security groups, NACLs, subnets and VPCs: every spelling of "open to the world", tiers chained by reference."""

from __future__ import annotations

import pytest

from tests.checks.helpers import Case, ec2, perm, sg, snap, verify

WORLD = "0.0.0.0/0"
web_tier = sg("sg-web", perm("tcp", 443, cidrs=(WORLD,)), perm("tcp", 80, cidrs6=("::/0",)), name="web")
app_tier = sg("sg-app", perm("tcp", 8080, groups=("sg-web",)), name="app")
db_tier = sg("sg-db", perm("tcp", 5432, groups=("sg-app",)), name="db")


def one(check: str, name: str, group: dict, status: str, **kw) -> Case:
    return Case(check, name, snap(**ec2(group)), {group["GroupId"]: status}, **kw)


CASES = [
    # ---- SSH: every spelling of the world, ranges, protocol -1, self-references
    one("ec2_sg_no_world_ssh", "ipv4-world", sg("sg-1", perm("tcp", 22, cidrs=(WORLD,))), "FAIL", evidence_keys=("pointer",)),
    one("ec2_sg_no_world_ssh", "ipv6-world", sg("sg-1", perm("tcp", 22, cidrs6=("::/0",))), "FAIL"),
    one("ec2_sg_no_world_ssh", "half-internet", sg("sg-1", perm("tcp", 22, cidrs=("0.0.0.0/1",))), "FAIL"),
    one("ec2_sg_no_world_ssh", "two-halves", sg("sg-1", perm("tcp", 22, cidrs=("0.0.0.0/1", "128.0.0.0/1"))), "FAIL"),
    one("ec2_sg_no_world_ssh", "halves-in-two-rules",
        sg("sg-1", perm("tcp", 22, cidrs=("0.0.0.0/1",)), perm("tcp", 20, 30, cidrs=("128.0.0.0/1",))), "FAIL"),
    one("ec2_sg_no_world_ssh", "full-port-range", sg("sg-1", perm("tcp", 0, 65535, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_ssh", "range-spanning-22", sg("sg-1", perm("tcp", 20, 25, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_ssh", "all-traffic", sg("sg-1", perm("-1", cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_ssh", "protocol-number-6", sg("sg-1", perm("6", 22, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_ssh", "self-reference-does-not-excuse",
        sg("sg-1", perm("tcp", 22, groups=("sg-1",)), perm("tcp", 22, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_ssh", "bastion-group-only", sg("sg-1", perm("tcp", 22, groups=("sg-bastion",))), "PASS"),
    one("ec2_sg_no_world_ssh", "office-range", sg("sg-1", perm("tcp", 22, cidrs=("203.0.113.0/24",))), "PASS"),
    one("ec2_sg_no_world_ssh", "private-range", sg("sg-1", perm("tcp", 22, cidrs=("10.0.0.0/8",))), "PASS"),
    one("ec2_sg_no_world_ssh", "udp-22-is-not-ssh", sg("sg-1", perm("udp", 22, cidrs=(WORLD,))), "PASS"),
    one("ec2_sg_no_world_ssh", "range-below-22", sg("sg-1", perm("tcp", 0, 21, cidrs=(WORLD,))), "PASS"),
    one("ec2_sg_no_world_ssh", "https-only", web_tier, "PASS"),
    Case("ec2_sg_no_world_ssh", "unreadable", snap(ec2={"errors": {"security_groups": "AccessDenied"}}), {"*": "UNKNOWN"}),
    Case("ec2_sg_no_world_ssh", "service-unreadable", snap(ec2={"error": "ServerError (HTTP 500)"}), {"*": "UNKNOWN"}),
    Case("ec2_sg_no_world_ssh", "scope", snap(**ec2(sg("sg-1", perm("tcp", 22, cidrs=(WORLD,))), web_tier)),
         {"sg-web": "PASS"}, scope=["web"]),
    Case("ec2_sg_no_world_ssh", "scope-missing", snap(**ec2(web_tier)), {"*": "UNKNOWN"}, scope=["sg-gone"]),
    # ---- RDP, high-risk ports, web-only
    one("ec2_sg_no_world_rdp", "world", sg("sg-1", perm("tcp", 3389, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_rdp", "range-1000-5000", sg("sg-1", perm("tcp", 1000, 5000, cidrs6=("::/0",))), "FAIL"),
    one("ec2_sg_no_world_rdp", "udp-3389", sg("sg-1", perm("udp", 3389, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_no_world_rdp", "group", sg("sg-1", perm("tcp", 3389, groups=("sg-admin",))), "PASS"),
    one("ec2_sg_no_world_high_risk_ports", "mssql-in-range", sg("sg-1", perm("tcp", 1000, 2000, cidrs=(WORLD,))), "FAIL",
        message_contains="1433"),
    one("ec2_sg_no_world_high_risk_ports", "postgres", sg("sg-1", perm("tcp", 5432, cidrs=("0.0.0.0/2", "64.0.0.0/2"))), "FAIL"),
    one("ec2_sg_no_world_high_risk_ports", "web", web_tier, "PASS"),
    one("ec2_sg_world_ingress_only_web_ports", "web", web_tier, "PASS"),
    one("ec2_sg_world_ingress_only_web_ports", "8443", sg("sg-1", perm("tcp", 8443, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_world_ingress_only_web_ports", "80-to-443-range", sg("sg-1", perm("tcp", 80, 443, cidrs=(WORLD,))), "FAIL"),
    one("ec2_sg_world_ingress_only_web_ports", "udp-dns", sg("sg-1", perm("udp", 53, cidrs6=("::/0",))), "FAIL"),
    one("ec2_sg_world_ingress_only_web_ports", "internal-anything", sg("sg-1", perm("-1", groups=("sg-2",))), "PASS"),
    # ---- default group
    one("ec2_default_sg_closed", "factory-rules", sg("sg-d", perm("-1", groups=("sg-d",)), egress=(perm("-1", cidrs=(WORLD,)),),
                                                     name="default"), "FAIL"),
    one("ec2_default_sg_closed", "egress-only", sg("sg-d", egress=(perm("-1", cidrs=(WORLD,)),), name="default"), "FAIL"),
    one("ec2_default_sg_closed", "emptied", sg("sg-d", name="default"), "PASS"),
    Case("ec2_default_sg_closed", "no-default", snap(**ec2(web_tier)), {"*": "NOT_APPLICABLE"}),
    # ---- all traffic, whole-VPC ranges, egress
    one("ec2_sg_no_all_traffic_ingress", "from-group", sg("sg-1", perm("-1", groups=("sg-web",))), "FAIL"),
    one("ec2_sg_no_all_traffic_ingress", "all-tcp-ports", sg("sg-1", perm("tcp", 0, 65535, cidrs=("10.0.1.0/24",))), "FAIL"),
    one("ec2_sg_no_all_traffic_ingress", "protocol-all-word", sg("sg-1", perm("all", groups=("sg-2",))), "FAIL"),
    one("ec2_sg_no_all_traffic_ingress", "one-port", app_tier, "PASS"),
    one("ec2_sg_no_broad_internal_cidr_ingress", "vpc-cidr", sg("sg-1", perm("tcp", 5432, cidrs=("10.0.0.0/16",))), "FAIL",
        message_contains="whole VPC"),
    one("ec2_sg_no_broad_internal_cidr_ingress", "rfc1918-8", sg("sg-1", perm("tcp", 8080, cidrs=("10.0.0.0/8",))), "FAIL"),
    one("ec2_sg_no_broad_internal_cidr_ingress", "172-12", sg("sg-1", perm("tcp", 8080, cidrs=("172.16.0.0/12",))), "FAIL"),
    one("ec2_sg_no_broad_internal_cidr_ingress", "subnet", sg("sg-1", perm("tcp", 8080, cidrs=("10.0.1.0/24",))), "PASS"),
    one("ec2_sg_no_broad_internal_cidr_ingress", "group-reference", app_tier, "PASS"),
    one("ec2_sg_egress_restricted", "factory-egress", sg("sg-1", egress=(perm("-1", cidrs=(WORLD,)),)), "FAIL"),
    one("ec2_sg_egress_restricted", "ipv6-egress", sg("sg-1", egress=(perm("-1", cidrs6=("::/0",)),)), "FAIL"),
    one("ec2_sg_egress_restricted", "all-tcp-world", sg("sg-1", egress=(perm("tcp", 0, 65535, cidrs=(WORLD,)),)), "FAIL"),
    one("ec2_sg_egress_restricted", "https-only", sg("sg-1", egress=(perm("tcp", 443, cidrs=(WORLD,)),)), "PASS"),
    one("ec2_sg_egress_restricted", "to-db-tier", sg("sg-1", egress=(perm("tcp", 5432, groups=("sg-db",)),)), "PASS"),
    one("ec2_sg_egress_restricted", "internal-all", sg("sg-1", egress=(perm("-1", cidrs=("10.0.0.0/16",)),)), "PASS"),
    one("ec2_sg_egress_restricted", "every-port-but-0", sg("sg-1", egress=(perm("tcp", 1, 65535, cidrs=(WORLD,)),)), "FAIL"),
    one("ec2_sg_egress_restricted", "ephemeral-ports-to-world", sg("sg-1", egress=(perm("udp", 1024, 65535, cidrs6=("::/0",)),)), "FAIL"),
    one("ec2_sg_egress_restricted", "world-halves-most-ports",
        sg("sg-1", egress=(perm("tcp", 0, 40000, cidrs=("0.0.0.0/1",)), perm("tcp", 2, 65535, cidrs=("128.0.0.0/1",)))), "FAIL"),
    one("ec2_sg_egress_restricted", "a-few-ports-out", sg("sg-1", egress=(perm("tcp", 80, 443, cidrs=(WORLD,)),)), "PASS"),
    # ---- prefix lists resolved from the snapshot: the entries are what a rule trusts
    Case("ec2_sg_no_world_ssh", "prefix-list-of-the-world",
         snap(**ec2(sg("sg-1", perm("tcp", 22, prefix_lists=("pl-halves",))),
                    prefix_lists=[{"PrefixListId": "pl-halves", "Entries": [{"Cidr": "0.0.0.0/1"}, {"Cidr": "128.0.0.0/1"}]}])),
         {"sg-1": "FAIL"}, message_contains="pl-halves"),
    Case("ec2_sg_no_broad_internal_cidr_ingress", "prefix-list-holding-the-vpc",
         snap(**ec2(sg("sg-1", perm("tcp", 5432, prefix_lists=("pl-corp",))),
                    prefix_lists=[{"PrefixListId": "pl-corp", "Entries": [{"Cidr": "10.0.0.0/16"}]}])), {"sg-1": "FAIL"}),
    Case("ec2_sg_no_broad_internal_cidr_ingress", "prefix-list-of-one-subnet",
         snap(**ec2(sg("sg-1", perm("tcp", 5432, prefix_lists=("pl-app",))),
                    prefix_lists=[{"PrefixListId": "pl-app", "Entries": [{"Cidr": "10.0.2.0/24"}]}])), {"sg-1": "PASS"}),
    Case("ec2_sg_no_broad_internal_cidr_ingress", "ipv6-vpc-block",
         snap(**ec2(sg("sg-1", perm("tcp", 5432, cidrs6=("2600:1f18:aa:bb00::/56",))), vpcs=(
             {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:aa:bb00::/56"}]},))),
         {"sg-1": "FAIL"}),
    one("ec2_sg_no_world_high_risk_ports", "icmp-from-ipv6-world-is-nothing", sg("sg-1", perm("icmp", -1, -1, cidrs6=("::/0",))), "PASS"),
    # ---- tiers
    one("ec2_sg_database_ports_from_security_groups", "db-from-app", db_tier, "PASS"),
    one("ec2_sg_database_ports_from_security_groups", "db-from-subnet", sg("sg-db", perm("tcp", 3306, cidrs=("10.0.2.0/24",))), "FAIL"),
    one("ec2_sg_database_ports_from_security_groups", "db-via-all-traffic", sg("sg-db", perm("-1", cidrs=("10.0.2.0/24",))), "FAIL"),
    one("ec2_sg_database_ports_from_security_groups", "no-db", web_tier, "NOT_APPLICABLE"),
    Case("ec2_sg_data_tier_not_exposed_to_internet_tier", "chained",
         snap(**ec2(web_tier, app_tier, db_tier)), {"sg-db": "PASS", "sg-web": "NOT_APPLICABLE"}),
    Case("ec2_sg_data_tier_not_exposed_to_internet_tier", "db-trusts-web",
         snap(**ec2(web_tier, sg("sg-db", perm("tcp", 5432, groups=("sg-web",))))), {"sg-db": "FAIL"}),
    Case("ec2_sg_data_tier_not_exposed_to_internet_tier", "db-self-and-world",
         snap(**ec2(sg("sg-db", perm("tcp", 5432, groups=("sg-db",)), perm("tcp", 443, cidrs=(WORLD,))))), {"sg-db": "FAIL"}),
]

# ---- network ACLs
def acl(*entries: dict, acl_id: str = "acl-1") -> dict:
    return {"ec2": {"network_acls": [{"NetworkAclId": acl_id, "OwnerId": "123456789012", "Entries": list(entries)}]}}


def entry(number: int, action: str, cidr: str = "0.0.0.0/0", protocol: str = "-1", ports: tuple[int, int] | None = None,
          egress: bool = False) -> dict:
    e = {"RuleNumber": number, "RuleAction": action, "Protocol": protocol, "Egress": egress}
    e["Ipv6CidrBlock" if ":" in cidr else "CidrBlock"] = cidr
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


DEFAULT_DENY = entry(32767, "deny")
CASES += [
    Case("ec2_nacl_no_world_admin_ports", "default-allow-all", snap(**acl(entry(100, "allow"), DEFAULT_DENY)), {"acl-1": "FAIL"}),
    Case("ec2_nacl_no_world_admin_ports", "deny-admin-first",
         snap(**acl(entry(10, "deny", protocol="6", ports=(22, 22)), entry(20, "deny", protocol="6", ports=(3389, 3389)),
                    entry(100, "allow"), DEFAULT_DENY)), {"acl-1": "PASS"}),
    Case("ec2_nacl_no_world_admin_ports", "deny-too-narrow",
         snap(**acl(entry(10, "deny", "198.51.100.0/24", "6", (22, 22)), entry(20, "deny", protocol="6", ports=(3389, 3389)),
                    entry(100, "allow"), DEFAULT_DENY)), {"acl-1": "FAIL"}),
    Case("ec2_nacl_no_world_admin_ports", "deny-after-allow-is-too-late",
         snap(**acl(entry(100, "allow"), entry(200, "deny", protocol="6", ports=(22, 22)), DEFAULT_DENY)), {"acl-1": "FAIL"}),
    Case("ec2_nacl_no_world_admin_ports", "private-only",
         snap(**acl(entry(100, "allow", "10.0.0.0/8"), DEFAULT_DENY)), {"acl-1": "PASS"}),
    Case("ec2_nacl_no_world_admin_ports", "ipv6-open",
         snap(**acl(entry(100, "allow", "10.0.0.0/8"), entry(101, "allow", "::/0", "6", (0, 65535)), DEFAULT_DENY)), {"acl-1": "FAIL"}),
    Case("ec2_nacl_no_world_admin_ports", "web-only",
         snap(**acl(entry(100, "allow", protocol="6", ports=(443, 443)), DEFAULT_DENY)), {"acl-1": "PASS"}),
]

# ---- subnets, endpoints, instances
VPC = {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"}
CASES += [
    Case("ec2_subnet_no_auto_public_ip", "auto", snap(ec2={"subnets": [{"SubnetId": "subnet-1", "MapPublicIpOnLaunch": True}]}), {"subnet-1": "FAIL"}),
    Case("ec2_subnet_no_auto_public_ip", "off", snap(ec2={"subnets": [{"SubnetId": "subnet-1", "MapPublicIpOnLaunch": False}]}), {"subnet-1": "PASS"}),
    Case("vpc_s3_endpoint", "none", snap(ec2={"vpcs": [VPC]}), {"vpc-1": "FAIL"}),
    Case("vpc_s3_endpoint", "gateway", snap(ec2={"vpcs": [VPC], "vpc_endpoints": [
        {"VpcEndpointId": "vpce-1", "VpcId": "vpc-1", "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available"}]}), {"vpc-1": "PASS"}),
    Case("vpc_s3_endpoint", "dynamodb-is-not-s3", snap(ec2={"vpcs": [VPC], "vpc_endpoints": [
        {"VpcEndpointId": "vpce-1", "VpcId": "vpc-1", "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available"}]}), {"vpc-1": "FAIL"}),
    Case("vpc_s3_endpoint", "unreadable", snap(ec2={"vpcs": [VPC], "errors": {"vpc_endpoints": "UnsupportedOperation"}}), {"*": "UNKNOWN"}),
    Case("rds_instance_not_public", "public", snap(rds={"instances": [{"DBInstanceIdentifier": "db1", "PubliclyAccessible": True}]}), {"db1": "FAIL"}),
    Case("rds_instance_not_public", "private", snap(rds={"instances": [{"DBInstanceIdentifier": "db1", "PubliclyAccessible": False}]}), {"db1": "PASS"}),
    Case("rds_instance_not_public", "rds-unavailable", snap(rds={"error": "InternalFailure (HTTP 501): not included in your license"}), {"*": "UNKNOWN"}),
]


def instance(iid: str, **kw) -> dict:
    return {"InstanceId": iid, "State": {"Name": "running"}, **kw}


CASES += [
    Case("ec2_instance_imdsv2_required", "optional", snap(ec2={"instances": [instance("i-1", MetadataOptions={"HttpTokens": "optional"})]}), {"i-1": "FAIL"}),
    Case("ec2_instance_imdsv2_required", "required", snap(ec2={"instances": [instance("i-1", MetadataOptions={"HttpTokens": "required"})]}), {"i-1": "PASS"}),
    Case("ec2_instance_imdsv2_required", "endpoint-off", snap(ec2={"instances": [
        instance("i-1", MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "disabled"})]}), {"i-1": "PASS"}),
    Case("ec2_instance_imdsv2_required", "terminated-ignored", snap(ec2={"instances": [
        {"InstanceId": "i-1", "State": {"Name": "terminated"}, "MetadataOptions": {"HttpTokens": "optional"}}]}), {"*": "NOT_APPLICABLE"}),
    Case("ec2_instance_no_public_ip", "public", snap(ec2={"instances": [instance("i-1", PublicIpAddress="54.1.2.3")]}), {"i-1": "FAIL"}),
    Case("ec2_instance_no_public_ip", "private", snap(ec2={"instances": [instance("i-1", PrivateIpAddress="10.0.1.5")]}), {"i-1": "PASS"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_network_checks(case: Case) -> None:
    verify(case)
