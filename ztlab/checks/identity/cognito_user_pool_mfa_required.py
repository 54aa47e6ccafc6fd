from typing import Iterable

from ztlab.checks.base import ResourceCheck, Subject, Unreadable
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CognitoUserPoolMfaRequired(ResourceCheck):
    sections = ("cognito",)
    metadata = CheckMetadata(
        id="cognito_user_pool_mfa_required",
        title="Cognito user pools require MFA",
        service="cognito-idp",
        principle="verify-explicitly",
        severity="medium",
        rationale="Your application's users are identities too. 'Optional' MFA leaves most accounts on a "
        "password alone; require a second factor (TOTP or WebAuthn) for every sign-in.",
        remediation=Remediation(
            cli="aws cognito-idp set-user-pool-mfa-config --user-pool-id <pool-id> --software-token-mfa-configuration "
            "Enabled=true --mfa-configuration ON",
            console="Cognito > User pools > the pool > Sign-in experience > Multi-factor authentication > Edit: 'Require MFA'.",
        ),
    )

    empty_message = "The account has no Cognito user pools."

    def resources(self, snapshot: AccountSnapshot) -> Iterable[dict]:
        return snapshot.cognito.user_pools

    def names(self, snapshot: AccountSnapshot, pool: dict) -> tuple[str, list[str]]:
        pid = pool.get("Id", "")
        return pool.get("Arn") or f"arn:aws:cognito-idp:{snapshot.region}:{snapshot.account_id}:userpool/{pid}", [pid, pool.get("Name", "")]

    def judge(self, snapshot: AccountSnapshot, pool: dict, subject: Subject) -> Finding:
        name = pool.get("Name", "")
        mfa = (pool.get("MfaConfig") or {}).get("MfaConfiguration") or pool.get("MfaConfiguration")
        if mfa is None:
            why = (pool.get("ztlabErrors") or {}).get("mfa_config", "not reported")
            raise Unreadable(f"the MFA setting of user pool {name} could not be read: {why}")
        if mfa == "ON":
            return subject.passed(f"User pool {name} requires MFA.")
        return subject.failed(f"User pool {name} has MFA {mfa}: users can sign in with a password alone.",
                              evidence={"pointer": "/MfaConfiguration", "value": mfa})
