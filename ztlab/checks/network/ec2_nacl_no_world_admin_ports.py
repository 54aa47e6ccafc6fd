from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.network.nacls import Acl, AclEntry
from ztlab.snapshot import AccountSnapshot

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}


def world_allowed(acl: Acl, port: int, protocol: str = "tcp") -> list[AclEntry]:
    """The allow entries through which the world reaches `port` inbound, in rule-number order (first match
    wins, so a deny numbered before them narrows what they let in)."""
    culprits: list[AclEntry] = []
    for version in (4, 6):
        allowed, by = acl.admitted(False, protocol, port, version)
        if allowed.is_world():
            culprits.extend(by)
    return culprits


class NetworkAclNoWorldAdminPorts(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_nacl_no_world_admin_ports",
        title="Network ACLs do not allow SSH (22) or RDP (3389) in from the internet",
        service="ec2",
        principle="micro-segmentation",
        severity="medium",
        rationale="Network ACLs are the subnet-level layer of defence in depth. Letting the whole internet "
        "reach remote-administration ports there leaves a single security-group mistake between an "
        "attacker and your instances.",
        remediation=Remediation(
            cli="aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number 50 "
            "--protocol tcp --port-range From=22,To=22 --cidr-block 0.0.0.0/0 --rule-action deny  "
            "(and the same for 3389 and for ::/0 with --ipv6-cidr-block)",
            console="VPC > Network ACLs > the ACL > Inbound rules > Edit: add low-numbered Deny rules for ports "
            "22 and 3389 from 0.0.0.0/0 and ::/0, or narrow the Allow rules to known ranges.",
        ),
        controls=Controls(fsbp=("EC2.21",), cis=("5.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("network_acls")
        if why:
            yield self.unknown(snapshot.account_arn, f"network ACLs could not be read: {why}", ids=[snapshot.account_id])
            return
        if not snapshot.ec2.network_acls:
            yield self.account_not_applicable(snapshot, "The account has no network ACLs.")
        for acl in snapshot.ec2.network_acls:
            acl_id = acl.get("NetworkAclId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{acl.get('OwnerId') or snapshot.account_id}:network-acl/{acl_id}"
            model = Acl(acl)
            open_ports = {port: world_allowed(model, port) for port in ADMIN_PORTS}
            open_ports = {p: by for p, by in open_ports.items() if by}
            if not open_ports:
                yield self.passed(arn, f"Network ACL {acl_id} does not let the internet reach ports 22 or 3389.", ids=[acl_id])
                continue
            culprits = sorted({e for by in open_ports.values() for e in by}, key=lambda e: e.index)
            indexes = [e.index for e in culprits]
            rules = [f"rule {e.number} allow {e.network}" for e in culprits]
            yield self.failed(
                arn,
                f"Network ACL {acl_id} lets the internet reach "
                + " and ".join(f"{p} ({ADMIN_PORTS[p]})" for p in open_ports)
                + f" through {', '.join(rules)}. Add Deny rules before them or narrow their sources.",
                evidence={"pointer": f"/Entries/{indexes[0]}", "pointers": [f"/Entries/{i}" for i in indexes], "rules": rules},
                ids=[acl_id],
            )
