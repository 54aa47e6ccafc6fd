from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.iam._credentials import truthy, user_row
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class UserConsoleMfa(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.iam.users:
            yield self.account_not_applicable(snapshot, "The account has no IAM users.")
        report_why = snapshot.iam.unreadable("credential_report")
        for user in snapshot.iam.users:
            ids = [user.name]
            row = user_row(snapshot, user.name)
            if row is None:
                yield self.unknown(user.arn, f"whether {user.name} has a console password is unknown: "
                                   f"{report_why or 'the user is missing from the credential report'}", ids=ids)
                continue
            if not truthy(row.get("password_enabled")):
                yield self.not_applicable(user.arn, f"User {user.name} has no console password.", ids=ids)
                continue
            if user.errors.get("mfa_devices") and not truthy(row.get("mfa_active")):
                yield self.unknown(user.arn, f"the MFA devices of {user.name} could not be read: {user.errors['mfa_devices']}", ids=ids)
            elif user.mfa_devices or truthy(row.get("mfa_active")):
                yield self.passed(user.arn, f"User {user.name} signs in to the console with MFA.", ids=ids)
            else:
                yield self.failed(user.arn, f"User {user.name} can sign in to the console with a password alone.", ids=ids)
