from ztlab.checks.base import Subject, Unreadable
from ztlab.checks.iam._kinds import UserCheck
from ztlab.checks.iam._credentials import truthy, user_row
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot, IamUser


class UserConsoleMfa(UserCheck):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_user_console_mfa",
        title="Every IAM user with a console password has MFA",
        service="iam",
        principle="verify-explicitly",
        severity="high",
        rationale="Verify explicitly: a password proves only that someone knows it. Every human sign-in needs "
        "a second factor (better still, federate people through IAM Identity Center).",
        remediation=Remediation(
            cli="aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile qr.png --bootstrap-method QRCodePNG && "
            "aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <c1> --authentication-code2 <c2>",
            console="IAM > Users > the user > Security credentials > Multi-factor authentication > Assign MFA device.",
        ),
        controls=Controls(fsbp=("IAM.5",), cis=("1.10",)),
    )

    def judge(self, snapshot: AccountSnapshot, user: IamUser, subject: Subject) -> Finding:
        row = user_row(snapshot, user.name)
        if row is None:
            raise Unreadable(f"whether {user.name} has a console password is unknown: "
                             f"{snapshot.iam.unreadable('credential_report') or 'the user is missing from the credential report'}")
        if not truthy(row.get("password_enabled")):
            return subject.not_applicable(f"User {user.name} has no console password.")
        if user.errors.get("mfa_devices") and not truthy(row.get("mfa_active")):
            raise Unreadable(f"the MFA devices of {user.name} could not be read: {user.errors['mfa_devices']}")
        if user.mfa_devices or truthy(row.get("mfa_active")):
            return subject.passed(f"User {user.name} signs in to the console with MFA.")
        return subject.failed(f"User {user.name} can sign in to the console with a password alone.")
