from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot

MAX_SESSION_SECONDS = 3600


class RoleShortSessions(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_role_short_sessions",
        title="Roles issue sessions of one hour or less",
        service="iam",
        principle="assume-breach",
        severity="low",
        rationale="Stolen session credentials work until they expire. A one-hour ceiling keeps that window "
        "short; callers that need longer can re-assume the role.",
        remediation=Remediation(
            cli=f"aws iam update-role --role-name <role> --max-session-duration {MAX_SESSION_SECONDS}",
            console="IAM > Roles > the role > Summary > Maximum session duration > Edit: 1 hour.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        roles = [r for r in snapshot.iam.roles if not r.path.startswith("/aws-service-role/")]
        if not roles:
            yield self.account_not_applicable(snapshot, "The account has no IAM roles of its own.")
        for role in roles:
            duration = role.max_session_duration
            if duration is None:
                yield self.unknown(role.arn, f"the maximum session duration of {role.name} could not be read: "
                                   f"{snapshot.iam.errors.get('roles.max_session_duration', 'not reported')}", ids=[role.name])
            elif duration > MAX_SESSION_SECONDS:
                yield self.failed(role.arn, f"Role {role.name} issues sessions lasting up to {duration // 3600} hours.",
                                  evidence={"pointer": "/MaxSessionDuration", "value": duration}, ids=[role.name])
            else:
                yield self.passed(role.arn, f"Role {role.name} sessions last at most {duration // 60} minutes.", ids=[role.name])
