from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.iam._credentials import root_fact
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RootMfaEnabled(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_root_mfa_enabled",
        title="The root user signs in with MFA",
        service="iam",
        principle="verify-explicitly",
        severity="critical",
        rationale="The root password alone should never be enough to take over the whole account. "
        "MFA makes a phished or reused password useless on its own.",
        remediation=Remediation(
            cli="(as root) aws iam create-virtual-mfa-device --virtual-mfa-device-name root-mfa --outfile qr.png "
            "--bootstrap-method QRCodePNG && aws iam enable-mfa-device --serial-number <arn> --authentication-code1 <c1> --authentication-code2 <c2>",
            console="Sign in as root > Security credentials > Multi-factor authentication > Assign MFA device (prefer a security key).",
        ),
        controls=Controls(fsbp=("IAM.9",), cis=("1.5",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id]
        mfa, source = root_fact(snapshot, ("mfa_active",), "AccountMFAEnabled")
        if mfa is None:
            yield self.unknown(snapshot.account_arn, f"root MFA could not be determined: {source}", ids=ids)
        elif mfa:
            yield self.passed(snapshot.account_arn, f"The root user has MFA (from the {source}).", ids=ids)
        else:
            yield self.failed(snapshot.account_arn, f"The root user has no MFA device (from the {source}).", ids=ids)
