from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class SubnetNoAutoPublicIp(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_subnet_no_auto_public_ip",
        title="Subnets do not give new instances public IP addresses automatically",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="With auto-assign on, every instance launched into the subnet gets a public address by "
        "default, one security-group rule away from the internet. Make internet exposure a deliberate choice.",
        remediation=Remediation(
            cli="aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch",
            console="VPC > Subnets > the subnet > Actions > Edit subnet settings: clear 'Enable auto-assign public IPv4 address'.",
        ),
        controls=Controls(fsbp=("EC2.15",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("subnets")
        if why:
            yield self.unknown(snapshot.account_arn, f"subnets could not be read: {why}", ids=[snapshot.account_id])
            return
        if not snapshot.ec2.subnets:
            yield self.account_not_applicable(snapshot, "The account has no subnets.")
        for subnet in snapshot.ec2.subnets:
            sid = subnet.get("SubnetId", "")
            arn = subnet.get("SubnetArn") or f"arn:aws:ec2:{snapshot.region}:{snapshot.account_id}:subnet/{sid}"
            if subnet.get("MapPublicIpOnLaunch"):
                yield self.failed(arn, f"Subnet {sid} ({subnet.get('CidrBlock')}) assigns a public IP to every new instance.",
                                  evidence={"pointer": "/MapPublicIpOnLaunch", "value": True}, ids=[sid])
            else:
                yield self.passed(arn, f"Subnet {sid} does not assign public IPs automatically.", ids=[sid])
