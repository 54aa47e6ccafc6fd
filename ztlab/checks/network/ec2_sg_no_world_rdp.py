from ztlab.checks.model import CheckMetadata, Controls, Remediation
from ztlab.checks.network._exposure import WorldPortCheck


class SecurityGroupNoWorldRdp(WorldPortCheck):
    ports = {3389: "RDP"}
    protocols = ("tcp", "udp")
    metadata = CheckMetadata(
        id="ec2_sg_no_world_rdp",
        title="Security groups do not allow RDP (3389) from the internet",
        service="ec2",
        principle="micro-segmentation",
        severity="high",
        rationale="Remote Desktop open to the internet is one of the most attacked services there is. Use "
        "Fleet Manager / Session Manager, or allow only a bastion's security group.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=tcp,FromPort=3389,ToPort=3389,IpRanges=[{CidrIp=0.0.0.0/0}]'",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: delete the RDP rule open to "
            "0.0.0.0/0 or ::/0 (or any rule whose port range includes 3389).",
        ),
        controls=Controls(fsbp=("EC2.14",), cis=("5.2", "5.3")),
    )
