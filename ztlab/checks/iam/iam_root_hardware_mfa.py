from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.iam._credentials import root_fact
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


class RootHardwareMfa(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_root_hardware_mfa",
        title="The root user's MFA is a hardware device, not a phone app",
        service="iam",
        principle="verify-explicitly",
        severity="medium",
        rationale="A virtual MFA app lives on a phone that can be lost, cloned or phished through; a hardware "
        "key (FIDO2 / TOTP token) kept in a safe is the bar for the one user no policy can limit.",
        remediation=Remediation(
            cli="(as root) aws iam deactivate-mfa-device --serial-number <virtual-arn> && aws iam enable-mfa-device "
            "--serial-number <hardware-serial> --authentication-code1 <c1> --authentication-code2 <c2>",
            console="Sign in as root > Security credentials > Multi-factor authentication: add a security key or "
            "hardware TOTP token, then remove the virtual device.",
        ),
        controls=Controls(fsbp=("IAM.6",), cis=("1.6",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id]
        mfa, source = root_fact(snapshot, ("mfa_active",), "AccountMFAEnabled")
        if mfa is None:
            yield self.unknown(snapshot.account_arn, f"root MFA could not be determined: {source}", ids=ids)
            return
        if not mfa:
            yield self.failed(snapshot.account_arn, "The root user has no MFA at all, hardware or virtual.", ids=ids)
            return
        why = snapshot.iam.unreadable("virtual_mfa_devices")
        if why:
            yield self.unknown(snapshot.account_arn, f"virtual MFA devices could not be read: {why}", ids=ids)
            return
        virtual = [d for d in snapshot.iam.virtual_mfa_devices
                   if str(d.get("SerialNumber", "")).endswith(":mfa/root-account-mfa-device")
                   or str((d.get("User") or {}).get("Arn", "")).endswith(":root")]
        if virtual:
            yield self.failed(snapshot.account_arn, f"The root user's MFA is a virtual device ({virtual[0].get('SerialNumber')}).", ids=ids)
        else:
            yield self.passed(snapshot.account_arn, "The root user's MFA is not a virtual device.", ids=ids)
