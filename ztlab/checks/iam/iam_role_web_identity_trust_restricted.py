from typing import Iterable

from ztlab.access import AccessReadError
from ztlab.checks._questions import OTHER_VALUE, contexts, requests, search
from ztlab.checks.base import Check
from ztlab.checks.iam._roles import own_roles, trust
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def providers(policy) -> list[str]:
    """OIDC / Cognito providers an Allow statement trusts (SAML federation is judged elsewhere)."""
    return list(dict.fromkeys(f for st in policy.statements if st.is_allow and st.principal is not None
                              for f in st.principal.federated if ":saml-provider/" not in f))


def pinned_claim(provider: str) -> str:
    """The claim that must name who may come in: the identity pool (aud) for Cognito, else the subject."""
    host = _host(provider)
    return f"{host}:aud" if host == "cognito-identity.amazonaws.com" else f"{host}:sub"


def _host(provider: str) -> str:
    """The prefix of the provider's context keys: the OIDC issuer host (or the provider name itself)."""
    return provider.split(":oidc-provider/", 1)[-1].lower()


class RoleWebIdentityTrustRestricted(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_role_web_identity_trust_restricted",
        title="Roles trusted by an OIDC provider name the subjects allowed in",
        service="iam",
        principle="verify-explicitly",
        severity="high",
        rationale="An OIDC provider such as GitHub Actions issues tokens to every one of its users. A trust "
        "policy that checks only the audience lets any repository (or any workload of that provider) assume "
        "the role; pin the `sub` claim to your repository, branch or service account.",
        remediation=Remediation(
            cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json  (add "
            "\"Condition\": {\"StringEquals\": {\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\"}, "
            "\"StringLike\": {\"token.actions.githubusercontent.com:sub\": \"repo:<org>/<repo>:ref:refs/heads/main\"}})",
            console="IAM > Roles > the role > Trust relationships > Edit trust policy: add a condition on the provider's "
            "sub claim naming your repository / service account.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        roles = own_roles(snapshot)
        judged = False
        for role in roles:
            ids = [role.name]
            try:
                policy = trust(role)
            except AccessReadError as exc:
                judged = True
                yield self.unknown(role.arn, str(exc), ids=ids)
                continue
            federated = providers(policy)
            if not federated:
                continue
            judged = True
            found = None
            for provider in federated:
                # A stranger's token: a subject (or identity pool) of its own, every other claim as the policy wants.
                ctxs = contexts([policy], {pinned_claim(provider): f"{OTHER_VALUE}:attacker/repo"})
                caller = Caller.federated(provider)
                found = search(requests([caller], [(WEB_IDENTITY, role.arn), ("sts:AssumeRole", role.arn)], ctxs, snapshot.account_id),
                               PolicySet(resource=policy), lambda e: e.allowed)
                if found:
                    break
            if found is None:
                yield self.passed(role.arn, f"Role {role.name} admits only the OIDC subjects it names.", ids=ids)
            else:
                claim = pinned_claim(found.request.caller.provider or federated[0])
                yield self.failed(role.arn, f"Any identity of {found.request.caller.provider} can assume role {role.name}: a token whose "
                                  f"{claim.rsplit(':', 1)[-1]} is {found.request.context.get(claim)!r} is allowed.", evidence=found.evidence(), ids=ids)
        if not judged:
            yield self.account_not_applicable(snapshot, "No role trusts a web identity (OIDC) provider.")
