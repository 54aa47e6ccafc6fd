"""Which way a subnet's traffic to an AWS service goes: through a gateway endpoint, or out to the internet.

A subnet uses the route table it is explicitly associated with, else its VPC's main table. A gateway
endpoint is a route in the tables listed in its RouteTableIds: a subnet whose table holds no S3
endpoint reaches S3 over the internet (where an aws:SourceVpce bucket policy refuses it), and a
subnet whose table holds another S3 endpoint goes through that one, under that one's policy.
"""

from __future__ import annotations

from typing import Any


def subnet_route_tables(snapshot: Any, vpc_id: str) -> dict[str, list[str]]:
    """Route table id -> the subnets that use it (explicitly, or implicitly through the main table)."""
    tables = [t for t in snapshot.ec2.route_tables if t.get("VpcId") == vpc_id]
    subnets = [s.get("SubnetId", "") for s in snapshot.ec2.subnets if s.get("VpcId") == vpc_id]
    used: dict[str, list[str]] = {}
    explicit = set()
    main = None
    for table in tables:
        for assoc in table.get("Associations") or []:
            if assoc.get("Main"):
                main = table.get("RouteTableId")
            elif assoc.get("SubnetId"):
                explicit.add(assoc["SubnetId"])
                used.setdefault(table.get("RouteTableId", ""), []).append(assoc["SubnetId"])
    implicit = [s for s in subnets if s not in explicit]
    if main and implicit:
        used.setdefault(main, []).extend(implicit)
    return used


def service_endpoints(snapshot: Any, vpc_id: str, service: str = "s3") -> list[dict[str, Any]]:
    """The VPC's live endpoints for a service (com.amazonaws.<region>.<service>)."""
    return [e for e in snapshot.ec2.vpc_endpoints
            if e.get("VpcId") == vpc_id and str(e.get("ServiceName", "")).endswith("." + service)
            and str(e.get("State", "available")).lower() in ("available", "pending", "pendingacceptance")]


def subnet_path(snapshot: Any, subnet_id: str, service: str = "s3") -> tuple[str | None, list[str]]:
    """(the subnet's route table, the gateway endpoints of `service` it routes through). LookupError when
    the subnet is gone."""
    subnet = next((s for s in snapshot.ec2.subnets if s.get("SubnetId") == subnet_id), None)
    if subnet is None:
        raise LookupError(f"subnet {subnet_id} no longer exists")
    vpc_id = subnet.get("VpcId", "")
    table = next((t for t, subnets in subnet_route_tables(snapshot, vpc_id).items() if subnet_id in subnets), None)
    gateways = [e.get("VpcEndpointId", "") for e in service_endpoints(snapshot, vpc_id, service)
                if str(e.get("VpcEndpointType", "Gateway")).lower() == "gateway" and table in (e.get("RouteTableIds") or [])]
    return table, gateways
