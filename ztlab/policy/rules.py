"""AWS rules that no policy statement can change, each with the documentation page it comes from.

The evaluation logic decides what policies allow; these rules say where policies do not get a
say at all: resources AWS owns, one action that needs no permission, and KMS keys, whose own
key policy is the primary control.
"""

from __future__ import annotations

from ztlab.policy.document import Policy, parse_policy

# IAM User Guide, "AWS managed policies": "You cannot change the permissions defined in AWS
# managed policies." Their ARNs carry `aws` in place of an account.
_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
_MANAGED_POLICY_ACTIONS = frozenset({
    "iam:createpolicy", "iam:createpolicyversion", "iam:deletepolicy", "iam:deletepolicyversion",
    "iam:setdefaultpolicyversion", "iam:tagpolicy", "iam:untagpolicy",
})
# IAM User Guide, "Using service-linked roles": the role is predefined by the service, which
# alone may change its permissions and trust; it is deleted only through the service
# (DeleteServiceLinkedRole). The role APIs answer UnmodifiableEntity.
_SERVICE_LINKED_ACTIONS = frozenset({
    "iam:attachrolepolicy", "iam:detachrolepolicy", "iam:putrolepolicy", "iam:deleterolepolicy",
    "iam:updateassumerolepolicy", "iam:putrolepermissionsboundary", "iam:deleterolepermissionsboundary",
    "iam:tagrole", "iam:untagrole", "iam:deleterole", "iam:updaterole", "iam:passrole",
})
# AWS KMS Developer Guide, "Aliases in AWS KMS": "alias/aws/ ... is reserved for AWS managed
# keys. You cannot create, update or delete an alias that begins with this prefix."
_KMS_ALIAS_ACTIONS = frozenset({"kms:createalias", "kms:updatealias", "kms:deletealias"})

SOURCES = {
    "aws-managed-policy": "IAM User Guide: AWS managed policies",
    "service-linked-role": "IAM User Guide: Using service-linked roles",
    "aws-kms-alias": "AWS KMS Developer Guide: Aliases in AWS KMS",
    "get-caller-identity": "AWS STS API Reference: GetCallerIdentity",
    "kms-key-policy": "AWS KMS Developer Guide: Key policies in AWS KMS",
    "rcp-deny-only": "AWS Organizations User Guide: Resource control policies (RCPs)",
}


def unmodifiable(action: str, resource: str) -> str | None:
    """Why no policy can allow this request (a lower-case action), or None."""
    if action in _MANAGED_POLICY_ACTIONS and resource.startswith(_MANAGED_POLICY_PREFIX):
        return "AWS managed policies belong to AWS: no account can create, version, delete or tag them"
    if action in _SERVICE_LINKED_ACTIONS and _is_service_linked_role(resource):
        return ("a service-linked role (path /aws-service-role/) is managed by its service: its policies, "
                "trust, boundary and tags cannot be changed, and it cannot be passed or deleted with the role APIs")
    if action in _KMS_ALIAS_ACTIONS and _kms_resource(resource).startswith("alias/aws/"):
        return "aliases under alias/aws/ are reserved for AWS managed keys: no account can create, update or delete them"
    return None


def needs_no_permission(action: str) -> str | None:
    """AWS STS API Reference, GetCallerIdentity: "No permissions are required to perform this
    operation. If an administrator attaches a policy to your identity that explicitly denies
    access to the sts:GetCallerIdentity action, you can still perform this operation.\""""
    if action == "sts:getcalleridentity":
        return "sts:GetCallerIdentity needs no permission: even an explicit Deny does not stop it"
    return None


def is_kms_key(action: str, resource: str) -> bool:
    """A KMS action on a key: the key policy must allow it (KMS Developer Guide, "Key policies":
    "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to
    a KMS key")."""
    return action.startswith("kms:") and _kms_resource(resource).startswith("key/")


NO_KEY_POLICY = ("a KMS key's own key policy decides who may use it, and no key policy was given: an identity "
                 "policy works only when the key policy allows the account (its root) or the caller")


def _is_service_linked_role(resource: str) -> bool:
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/aws-service-role/")


def _kms_resource(resource: str) -> str:
    parts = resource.split(":", 5)
    return parts[5] if len(parts) == 6 and parts[2] == "kms" else ""


def default_key_policy(account_id: str, partition: str = "aws") -> Policy:
    """The key policy KMS gives a key created without one: the account may use the key through
    IAM policies (KMS Developer Guide, "Default key policy")."""
    return parse_policy({"Version": "2012-10-17", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"}, "Action": "kms:*", "Resource": "*"}]},
        name="default key policy", kind="resource")
