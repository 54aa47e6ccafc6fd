from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.compute.ec2_instance_imdsv2_required import instance_arn, live_instances
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class InstanceNoPublicIp(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("instances")
        if why:
            yield self.unknown(snapshot.account_arn, f"instances could not be read: {why}", ids=[snapshot.account_id])
            return
        instances = live_instances(snapshot)
        if not instances:
            yield self.account_not_applicable(snapshot, "The account has no running instances.")
        for inst in instances:
            iid = inst.get("InstanceId", "")
            ip = inst.get("PublicIpAddress")
            if ip:
                yield self.failed(instance_arn(snapshot, inst), f"Instance {iid} has the public address {ip}.",
                                  evidence={"pointer": "/PublicIpAddress", "value": ip}, ids=[iid])
            else:
                yield self.passed(instance_arn(snapshot, inst), f"Instance {iid} has no public address.", ids=[iid])
