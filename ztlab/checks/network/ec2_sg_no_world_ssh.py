from ztlab.checks.model import CheckMetadata, Controls, Remediation
from ztlab.checks.network._exposure import WorldPortCheck


class SecurityGroupNoWorldSsh(WorldPortCheck):
    ports = {22: "SSH"}
    metadata = CheckMetadata(
        id="ec2_sg_no_world_ssh",
        title="Security groups do not allow SSH (22) from the internet",
        service="ec2",
        principle="micro-segmentation",
        severity="high",
        rationale="SSH open to 0.0.0.0/0 or ::/0 invites brute force and exploit attempts from the whole "
        "internet. Reach instances through SSM Session Manager, or allow a bastion's security group only.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'  "
            "(repeat with Ipv6Ranges=[{CidrIpv6=::/0}] for IPv6 rules)",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: delete the SSH rule whose source is "
            "0.0.0.0/0 or ::/0, or change its source to a specific security group.",
        ),
        controls=Controls(fsbp=("EC2.13",), cis=("5.2", "5.3")),
    )
