"""Small builders for snapshot fixtures, and the table format every check test uses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ztlab.checks import get_check
from ztlab.snapshot import AccountSnapshot

ACCOUNT = "123456789012"
REGION = "us-east-1"


def snap(**sections: Any) -> AccountSnapshot:
    """A snapshot from plain section dicts (missing sections are empty but readable)."""
    return AccountSnapshot.model_validate({"account_id": ACCOUNT, "region": REGION, "taken_at": "2026-11-28T12:00:00+00:00", **sections})


@dataclass
class Case:
    check_id: str
    name: str
    snapshot: AccountSnapshot
    expect: dict[str, str]  # substring of the finding's resource (or "*" for every finding) -> status
    scope: list[str] | None = None
    message_contains: str = ""
    evidence_keys: tuple[str, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return f"{self.check_id}-{self.name}"


def verify(case: Case) -> None:
    findings = get_check(case.check_id).run(case.snapshot, case.scope)
    assert findings, f"{case.id}: the check returned no finding at all"
    for f in findings:
        if f.status == "UNKNOWN":
            assert f.evidence.get("reason"), f"{case.id}: UNKNOWN without a reason: {f}"
        assert f.message and f.resource, f"{case.id}: finding without message/resource: {f}"
    for key, status in case.expect.items():
        matching = [f for f in findings if key == "*" or key in f.resource or key in f.resource_ids]
        assert matching, f"{case.id}: no finding about {key!r}; got {[(f.resource, f.status) for f in findings]}"
        got = {f.status for f in matching}
        assert got == {status}, f"{case.id}: {key!r} expected {status}, got " + "; ".join(f"{f.status}: {f.message}" for f in matching)
        for f in matching:
            if case.message_contains:
                assert case.message_contains in f.message, f"{case.id}: {f.message!r} lacks {case.message_contains!r}"
            for k in case.evidence_keys:
                assert k in f.evidence, f"{case.id}: evidence lacks {k!r}: {f.evidence}"


# ---------------------------------------------------------------- EC2 builders
def perm(protocol: str | int = "tcp", from_port: int | None = None, to_port: int | None = None, *, cidrs: tuple = (),
         cidrs6: tuple = (), groups: tuple = (), prefix_lists: tuple = ()) -> dict[str, Any]:
    p: dict[str, Any] = {"IpProtocol": str(protocol)}
    if from_port is not None:
        p["FromPort"] = from_port
        p["ToPort"] = to_port if to_port is not None else from_port
    p["IpRanges"] = [{"CidrIp": c} for c in cidrs]
    p["Ipv6Ranges"] = [{"CidrIpv6": c} for c in cidrs6]
    p["UserIdGroupPairs"] = [{"GroupId": g, "UserId": ACCOUNT} for g in groups]
    p["PrefixListIds"] = [{"PrefixListId": x} for x in prefix_lists]
    return p


def sg(group_id: str, *ingress: dict, egress: tuple = (), name: str | None = None, vpc: str = "vpc-1") -> dict[str, Any]:
    return {"GroupId": group_id, "GroupName": name or group_id, "VpcId": vpc, "OwnerId": ACCOUNT,
            "IpPermissions": list(ingress), "IpPermissionsEgress": list(egress)}


def ec2(*groups: dict, vpcs: tuple = ({"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": ACCOUNT},), **extra: Any) -> dict[str, Any]:
    return {"ec2": {"security_groups": list(groups), "vpcs": list(vpcs), **extra}}


# ---------------------------------------------------------------- policies
def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc)
