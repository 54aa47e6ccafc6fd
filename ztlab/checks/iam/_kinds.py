"""The three things IAM checks judge one by one: roles of the account's own, users, and customer
policies (managed or inline). Each fixes what `ResourceCheck` needs to know about its kind."""

from __future__ import annotations

from typing import Iterable

from ztlab.checks.base import ResourceCheck
from ztlab.checks.iam._privilege import CustomerPolicy, customer_policies
from ztlab.checks.iam._roles import own_roles
from ztlab.snapshot import AccountSnapshot, IamRole, IamUser


class RoleCheck(ResourceCheck):
    empty_message = "The account has no IAM roles of its own."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[IamRole]:
        return own_roles(snapshot)

    def names(self, snapshot: AccountSnapshot, role: IamRole) -> tuple[str, list[str]]:
        return role.arn, [role.name]


class UserCheck(ResourceCheck):
    empty_message = "The account has no IAM users."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[IamUser]:
        return snapshot.iam.users

    def names(self, snapshot: AccountSnapshot, user: IamUser) -> tuple[str, list[str]]:
        return user.arn, [user.name]


class PolicyCheck(ResourceCheck):
    empty_message = "The account has no customer managed or inline policies."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[CustomerPolicy]:
        return customer_policies(snapshot)

    def names(self, snapshot: AccountSnapshot, item: CustomerPolicy) -> tuple[str, list[str]]:
        return item.resource, item.ids
