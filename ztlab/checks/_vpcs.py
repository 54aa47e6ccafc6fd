"""Checks that ask one question of every VPC: the VPC list, its ARN and the "no VPCs" answer, once."""

from __future__ import annotations

from typing import Iterable

from ztlab.checks.base import ResourceCheck
from ztlab.snapshot import AccountSnapshot


class VpcCheck(ResourceCheck):
    sections = ("ec2",)
    empty_message = "The account has no VPCs."
    reads: tuple[str, ...] = ("ec2.vpcs",)

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.ec2.vpcs

    def names(self, snapshot: AccountSnapshot, vpc: dict) -> tuple[str, list[str]]:
        vid = vpc.get("VpcId", "")
        return f"arn:aws:ec2:{snapshot.region}:{vpc.get('OwnerId') or snapshot.account_id}:vpc/{vid}", [vid]
