from ztlab.checks.model import CheckMetadata, Controls, Remediation
from ztlab.checks.network._exposure import WorldPortCheck

HIGH_RISK_PORTS = {
    20: "FTP data", 21: "FTP", 22: "SSH", 23: "Telnet", 25: "SMTP", 110: "POP3", 135: "RPC", 143: "IMAP",
    445: "SMB", 1433: "SQL Server", 1434: "SQL Server browser", 1521: "Oracle", 3000: "dev servers",
    3306: "MySQL", 3389: "RDP", 4333: "mSQL", 5000: "dev servers", 5432: "PostgreSQL", 5500: "VNC",
    5601: "Kibana", 6379: "Redis", 8080: "HTTP proxy", 8088: "HTTP alt", 8888: "HTTP alt",
    9200: "OpenSearch", 9300: "OpenSearch", 11211: "Memcached", 27017: "MongoDB",
}


class SecurityGroupNoWorldHighRiskPorts(WorldPortCheck):
    ports = HIGH_RISK_PORTS
    metadata = CheckMetadata(
        id="ec2_sg_no_world_high_risk_ports",
        title="Security groups do not open high-risk ports (databases, admin, file sharing) to the internet",
        service="ec2",
        principle="micro-segmentation",
        severity="high",
        rationale="Databases, remote administration and file-sharing services are meant for a few known "
        "callers. Reachable from the internet, a single weak password or unpatched bug exposes the data.",
        remediation=Remediation(
            cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
            "'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]'; then allow the app tier: "
            "aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port <port> --source-group <app-sg-id>",
            console="EC2 > Security Groups > the group > Inbound rules > Edit: replace internet sources on these "
            "ports with the security group of the tier that needs them.",
        ),
        controls=Controls(fsbp=("EC2.19",), cis=("5.2", "5.3")),
    )
