from ztlab.checks.base import Subject, Unreadable
from ztlab.checks.iam._kinds import RoleCheck
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamRole

MAX_SESSION_SECONDS = 3600


class RoleShortSessions(RoleCheck):
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

    def judge(self, snapshot: AccountSnapshot, role: IamRole, subject: Subject) -> Finding:
        duration = role.max_session_duration
        if duration is None:
            raise Unreadable(f"the maximum session duration of {role.name} could not be read: "
                             f"{snapshot.iam.errors.get('roles.max_session_duration', 'not reported')}")
        if duration > MAX_SESSION_SECONDS:
            return subject.failed(f"Role {role.name} issues sessions lasting up to {duration // 3600} hours.",
                                  evidence={"pointer": "/MaxSessionDuration", "value": duration})
        return subject.passed(f"Role {role.name} sessions last at most {duration // 60} minutes.")
