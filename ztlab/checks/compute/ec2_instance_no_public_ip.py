from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject
from ztlab.checks.compute.ec2_instance_imdsv2_required import instance_arn, live_instances
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class InstanceNoPublicIp(ResourceCheck):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_instance_no_public_ip",
        title="EC2 instances have no public IPv4 address",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="An instance with a public address is reachable from the internet as soon as a security "
        "group allows it. Put workloads in private subnets behind a load balancer or endpoint.",
        remediation=Remediation(
            cli="aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch; relaunch the "
            "instance in a private subnet (a public IP cannot be removed from a running instance's primary interface).",
            console="EC2 > Launch instance > Network settings: pick a private subnet and set 'Auto-assign public IP' to Disable.",
        ),
        controls=Controls(fsbp=("EC2.9",)),
    )

    empty_message = "The account has no running instances."
    reads = ("ec2.instances",)

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return live_instances(snapshot)

    def names(self, snapshot: AccountSnapshot, inst: dict) -> tuple[str, list[str]]:
        return instance_arn(snapshot, inst), [inst.get("InstanceId", "")]

    def judge(self, snapshot: AccountSnapshot, inst: dict, subject: Subject) -> Finding:
        iid, ip = inst.get("InstanceId", ""), inst.get("PublicIpAddress")
        if ip:
            return subject.failed(f"Instance {iid} has the public address {ip}.", evidence={"pointer": "/PublicIpAddress", "value": ip})
        return subject.passed(f"Instance {iid} has no public address.")
