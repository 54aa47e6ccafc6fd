from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class CognitoUserPoolMfaRequired(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.cognito.user_pools:
            yield self.account_not_applicable(snapshot, "The account has no Cognito user pools.")
        for pool in snapshot.cognito.user_pools:
            pid, name = pool.get("Id", ""), pool.get("Name", "")
            arn = pool.get("Arn") or f"arn:aws:cognito-idp:{snapshot.region}:{snapshot.account_id}:userpool/{pid}"
            ids = [pid, name]
            mfa = (pool.get("MfaConfig") or {}).get("MfaConfiguration") or pool.get("MfaConfiguration")
            if mfa is None:
                why = (pool.get("ztlabErrors") or {}).get("mfa_config", "not reported")
                yield self.unknown(arn, f"the MFA setting of user pool {name} could not be read: {why}", ids=ids)
            elif mfa == "ON":
                yield self.passed(arn, f"User pool {name} requires MFA.", ids=ids)
            else:
                yield self.failed(arn, f"User pool {name} has MFA {mfa}: users can sign in with a password alone.",
                                  evidence={"pointer": "/MfaConfiguration", "value": mfa}, ids=ids)
