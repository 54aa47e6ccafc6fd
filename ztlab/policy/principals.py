"""Who is asking: the caller of a request, and how Principal elements name callers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ACCOUNT = re.compile(r"^\d{12}$")
_ARN = re.compile(r"^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):(iam|sts)::(\d{12}):(.+)$")

# aws:PrincipalType values, as AWS puts them in the request context.
PRINCIPAL_TYPES = ("Account", "User", "AssumedRole", "FederatedUser", "Anonymous")


@dataclass(frozen=True)
class Caller:
    """The principal making a request.

    principal_type is one of: Account (root user), User, Role (the role itself, rarely a caller),
    AssumedRole (a role session), FederatedUser (GetFederationToken session), Federated (a web
    identity or SAML user before it assumes a role), Service, Anonymous.
    """

    arn: str | None
    account: str | None
    principal_type: str
    partition: str = "aws"
    name: str | None = None  # user name, role name, federated user name
    role_arn: str | None = None  # for role sessions: arn:aws:iam::<acct>:role/<name> (no path: STS drops it)
    session_name: str | None = None
    service_name: str | None = None
    provider: str | None = None
    canonical_user: str | None = None
    user_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_arn(cls, arn: str, *, tags: dict[str, str] | None = None,
                 user_id: str | None = None) -> "Caller":
        """A caller from its ARN: IAM user, role, assumed-role session, account root (or a bare
        12-digit account id), federated user session, or a SAML/OIDC provider ARN."""
        tags = dict(tags or {})
        text = arn.strip()
        if _ACCOUNT.match(text):
            text = f"arn:aws:iam::{text}:root"
        m = _ARN.match(text)
        if not m:
            raise ValueError(
                f"{arn!r} is not a caller ARN; expected e.g. arn:aws:iam::111122223333:user/alice, "
                "arn:aws:sts::111122223333:assumed-role/Role/session or arn:aws:iam::111122223333:root")
        partition, service, account, rest = m.groups()
        if service == "iam" and rest == "root":
            return cls(text, account, "Account", partition, user_id=user_id or account, tags=tags)
        if service == "iam" and rest.startswith("user/"):
            name = rest.rsplit("/", 1)[1]
            return cls(text, account, "User", partition, name=name, user_id=user_id, tags=tags)
        if service == "iam" and rest.startswith("role/"):
            name = rest.rsplit("/", 1)[1]
            return cls(text, account, "Role", partition, name=name, role_arn=text, user_id=user_id, tags=tags)
        if service == "sts" and rest.startswith("assumed-role/"):
            pieces = rest.split("/")
            if len(pieces) < 3 or not pieces[1] or not pieces[2]:
                raise ValueError(f"{arn!r}: an assumed-role ARN is arn:aws:sts::<account>:assumed-role/<role>/<session>")
            role = pieces[1]
            session = "/".join(pieces[2:])
            return cls(text, account, "AssumedRole", partition, name=role,
                       role_arn=f"arn:{partition}:iam::{account}:role/{role}", session_name=session,
                       user_id=user_id, tags=tags)
        if service == "sts" and rest.startswith("federated-user/"):
            name = rest.split("/", 1)[1]
            return cls(text, account, "FederatedUser", partition, name=name,
                       user_id=user_id or f"{account}:{name}", tags=tags)
        if service == "iam" and rest.startswith(("saml-provider/", "oidc-provider/")):
            return cls(None, None, "Federated", partition, provider=text, tags=tags)
        raise ValueError(f"{arn!r}: unsupported principal ARN (expected user, role, assumed-role, "
                         "federated-user, root, saml-provider or oidc-provider)")

    @classmethod
    def unspecified(cls, account: str | None = None) -> "Caller":
        """An IAM principal we know nothing about (simulate without CallerArn): identity-side
        policies apply, no principal keys are derived."""
        return cls(None, account, "Unspecified")

    @classmethod
    def anonymous(cls) -> "Caller":
        return cls(None, None, "Anonymous", user_id="anonymous")

    @classmethod
    def service(cls, name: str) -> "Caller":
        return cls(None, None, "Service", service_name=name)

    @classmethod
    def federated(cls, provider: str, *, tags: dict[str, str] | None = None) -> "Caller":
        """A web identity / SAML user (e.g. "cognito-identity.amazonaws.com")."""
        return cls(None, None, "Federated", provider=provider, tags=dict(tags or {}))

    @classmethod
    def canonical(cls, canonical_user_id: str, account: str | None = None) -> "Caller":
        return cls(None, account, "CanonicalUser", canonical_user=canonical_user_id)

    # ------------------------------------------------------------ derived facts
    @property
    def is_iam_principal(self) -> bool:
        """Principals whose own account's identity policies, boundaries and SCPs apply."""
        return self.principal_type in ("Account", "User", "Role", "AssumedRole", "FederatedUser", "Unspecified")

    @property
    def principal_arn(self) -> str | None:
        """aws:PrincipalArn: for a role session it is the role, not the session."""
        if self.principal_type == "AssumedRole":
            return self.role_arn
        return self.arn

    @property
    def account_root(self) -> str | None:
        return f"arn:{self.partition}:iam::{self.account}:root" if self.account else None

    def identity_chain(self) -> list[str]:
        """Every name a NotPrincipal must list to exempt this caller: its own ARN and its
        account (IAM User Guide, NotPrincipal: deny statements must list both)."""
        if self.principal_type == "Account":
            return [self.account_root or ""]
        if self.arn and self.account:
            return [self.arn, self.account_root or ""]
        return []


def normalise_aws_principal(value: str, partition: str = "aws") -> str:
    value = value.strip()
    if _ACCOUNT.match(value):
        return f"arn:{partition}:iam::{value}:root"
    return value


def match_aws_principal(value: str, caller: Caller) -> str | None:
    """How an `AWS` principal value names the caller: "any" ("*"), "direct" (this user, this
    session, this federated user, or the root user itself), "role" (the role behind a
    session), "account" (the caller's account, a delegation), or None."""
    if value == "*":
        return "any"
    if caller.account is None:
        return None
    target = normalise_aws_principal(value, caller.partition)
    if caller.arn is not None and target == caller.arn:
        return "role" if caller.principal_type == "Role" else "direct"
    if target == caller.account_root:
        return "direct" if caller.principal_type == "Account" else "account"
    if caller.principal_type == "AssumedRole" and ":role/" in target:
        m = _ARN.match(target)
        if m and m.group(3) == caller.account and m.group(4).rsplit("/", 1)[-1] == caller.name:
            return "role"
    return None


def strongest(a: str | None, b: str | None) -> str | None:
    order = {None: 0, "account": 1, "role": 2, "direct": 3, "any": 4}
    return a if order[a] >= order[b] else b
