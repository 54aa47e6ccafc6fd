"""Privilege questions over customer policies: admin, whole-service wildcards, decrypt-any-key.

Each policy is asked about on its own (as IAM.1 / IAM.21 / KMS.1 do), by the policy engine, with
the conditions it tests set every interesting way: a condition only narrows a grant if no
reachable request context satisfies it, and a narrow Deny does not turn a grant of everything
into a least-privilege policy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterator

from ztlab.access import AccessReadError, load_policy
from ztlab.checks._questions import Counterexample, concrete, contexts, requests, search
from ztlab.policy import Caller, Policy, PolicySet
from ztlab.policy.actions import service_exists, service_prefixes
from ztlab.policy.patterns import action_matcher
from ztlab.policy.rules import default_key_policy
from ztlab.snapshot import AccountSnapshot

PROBE_SERVICE = "ztlabprobe"
UNLISTED = "ZtlabUnlistedProbeAction"
COMMON_SERVICES = ("s3", "ec2", "iam", "kms", "sts", "lambda", "dynamodb", "rds", "cloudtrail", "logs",
                   "secretsmanager", "sns", "sqs", "organizations", "guardduty", "config", "cloudwatch")
SENSITIVE_ACTIONS = ("iam:CreateUser", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:CreateAccessKey",
                     "s3:DeleteBucket", "s3:GetObject", "ec2:TerminateInstances", "kms:Decrypt",
                     "organizations:LeaveOrganization", "cloudtrail:StopLogging", "lambda:UpdateFunctionCode")


@dataclass
class CustomerPolicy:
    """A customer managed policy, or an inline policy of a user, group or role."""

    label: str  # for messages
    resource: str  # ARN for the finding
    ids: list[str]
    document: Any


def customer_policies(snapshot: AccountSnapshot) -> Iterator[CustomerPolicy]:
    for p in snapshot.iam.policies:
        if not p.aws_managed:
            yield CustomerPolicy(f"customer managed policy {p.name}", p.arn, [p.name, p.arn], p.document if not p.errors else None)
    for kind, holders in (("user", snapshot.iam.users), ("group", snapshot.iam.groups), ("role", snapshot.iam.roles)):
        for holder in holders:
            for name, doc in holder.inline_policies.items():
                yield CustomerPolicy(f"inline policy {name} of {kind} {holder.name}", holder.arn,
                                     [holder.name, holder.arn, name], doc)


def probe_caller(snapshot: AccountSnapshot) -> Caller:
    return Caller.from_arn(f"arn:aws:iam::{snapshot.account_id}:user/ztlab-probe-user")


def allows_only(policy: Policy) -> Policy:
    return dataclasses.replace(policy, statements=[s for s in policy.statements if s.is_allow])


def generic_resource(snapshot: AccountSnapshot, service: str) -> str:
    if service == "s3":
        return "arn:aws:s3:::ztlab-probe-bucket/ztlab-probe-object"
    if service == "iam":
        return f"arn:aws:iam::{snapshot.account_id}:user/ztlab-probe-target"
    return f"arn:aws:{service}:{snapshot.region}:{snapshot.account_id}:ztlab-probe/any"


def full_admin(snapshot: AccountSnapshot, policy: Policy) -> Counterexample | None:
    """A request showing the policy grants every action on every resource, or None.

    Everything = an action no catalogue lists, of a service that does not exist, on an arbitrary
    resource, is allowed (so only `*`-style grants qualify and only a broad Deny removes it),
    and the policy's Allows cover the sensitive actions of real services.
    """
    caller = probe_caller(snapshot)
    ctxs = contexts([policy])
    single = PolicySet(identity=[policy])
    probe = (f"{PROBE_SERVICE}:{UNLISTED}", generic_resource(snapshot, PROBE_SERVICE))
    found = search(requests([caller], [probe], ctxs, snapshot.account_id), single, lambda e: e.allowed)
    if found is None:
        return None
    allow_set = PolicySet(identity=[allows_only(policy)])
    for action in SENSITIVE_ACTIONS:
        service = action.split(":")[0]
        hit = search(requests([caller], [(action, generic_resource(snapshot, service))], ctxs, snapshot.account_id),
                     allow_set, lambda e: e.allowed)
        if hit is None:
            return None
    return found


def services_named(policy: Policy) -> list[str]:
    """Service prefixes the Allow statements reach: named ones, or the common ones behind `*`."""
    found: list[str] = []
    for st in policy.statements:
        if not st.is_allow:
            continue
        if st.not_actions is not None:
            found.extend(COMMON_SERVICES)
            continue
        for pattern in st.actions or []:
            prefix = pattern.split(":", 1)[0].lower()
            if prefix == "*":
                found.extend(COMMON_SERVICES)
            elif any(ch in prefix for ch in "*?"):
                found.extend(s for s in service_prefixes() if action_matcher(prefix)(s))
            elif service_exists(prefix):  # an unknown service has no actions to grant
                found.append(prefix)
    return list(dict.fromkeys(found))


def resources_for(snapshot: AccountSnapshot, policy: Policy, service: str) -> list[str]:
    """An arbitrary resource of the service, plus each resource the policy names (filled in)."""
    out = [generic_resource(snapshot, service)]
    for st in policy.statements:
        for pattern in st.resources or []:
            if "${" in pattern:
                continue
            service_of = pattern.split(":")[2] if pattern.count(":") >= 2 else "*"
            if pattern == "*" or action_matcher(service_of)(service) or service_of == "*":
                out.append(concrete(pattern) if pattern != "*" else generic_resource(snapshot, service))
    return list(dict.fromkeys(out))


def service_wildcards(snapshot: AccountSnapshot, policy: Policy) -> list[tuple[str, Counterexample]]:
    """(service, counterexample) for each service whose every action the policy allows somewhere."""
    caller = probe_caller(snapshot)
    ctxs = contexts([policy])
    single = PolicySet(identity=[policy])
    out = []
    for service in services_named(policy):
        if service == PROBE_SERVICE:
            continue
        pairs = [(f"{service}:{UNLISTED}", r) for r in resources_for(snapshot, policy, service)]
        hit = search(requests([caller], pairs, ctxs, snapshot.account_id), single, lambda e: e.allowed)
        if hit is not None:
            out.append((service, hit))
    return out


def decrypts_any_key(snapshot: AccountSnapshot, policy: Policy) -> Counterexample | None:
    caller = probe_caller(snapshot)
    key = f"arn:aws:kms:{snapshot.region}:{snapshot.account_id}:key/00000000-0000-0000-0000-ztlabprobe00"
    pairs = [("kms:Decrypt", key), ("kms:ReEncryptFrom", key)]
    # the question is what the policy grants where the key policy delegates to IAM (the default
    # key policy); a key whose policy names no one would refuse it whatever the policy says
    delegating = PolicySet(identity=[policy], resource=default_key_policy(snapshot.account_id))
    return search(requests([caller], pairs, contexts([policy]), snapshot.account_id), delegating, lambda e: e.allowed)


def parse(item: CustomerPolicy) -> Policy:
    if item.document is None:
        raise AccessReadError(f"the document of {item.label} could not be read")
    return load_policy(item.document, item.label, "identity")
