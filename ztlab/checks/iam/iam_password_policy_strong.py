from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot

MIN_LENGTH = 14
MIN_REUSE_PREVENTION = 24


class PasswordPolicyStrong(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_password_policy_strong",
        title="The IAM password policy requires 14+ characters and prevents reuse",
        service="iam",
        principle="verify-explicitly",
        severity="medium",
        rationale="Length is what makes a password hard to guess; preventing reuse stops a leaked old "
        "password from coming back. (People should mostly sign in through federation with MFA anyway.)",
        remediation=Remediation(
            cli=f"aws iam update-account-password-policy --minimum-password-length {MIN_LENGTH} "
            f"--password-reuse-prevention {MIN_REUSE_PREVENTION} --require-symbols --require-numbers "
            "--require-uppercase-characters --require-lowercase-characters",
            console=f"IAM > Account settings > Password policy > Edit: minimum length {MIN_LENGTH}, prevent reuse of "
            f"{MIN_REUSE_PREVENTION} passwords.",
        ),
        controls=Controls(fsbp=("IAM.7",), cis=("1.8", "1.9")),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        ids = [snapshot.account_id]
        why = snapshot.iam.unreadable("password_policy")
        if why:
            yield self.unknown(snapshot.account_arn, f"the password policy could not be read: {why}", ids=ids)
            return
        policy = snapshot.iam.password_policy
        if policy is None:
            yield self.failed(snapshot.account_arn, "The account has no password policy: IAM accepts any 8-character password.", ids=ids)
            return
        problems = []
        length = int(policy.get("MinimumPasswordLength") or 0)
        if length < MIN_LENGTH:
            problems.append(f"minimum length is {length} (needs {MIN_LENGTH})")
        reuse = int(policy.get("PasswordReusePrevention") or 0)
        if reuse < MIN_REUSE_PREVENTION:
            problems.append(f"reuse prevention remembers {reuse} passwords (needs {MIN_REUSE_PREVENTION})")
        if problems:
            yield self.failed(snapshot.account_arn, "The password policy is weak: " + "; ".join(problems) + ".",
                              evidence={"pointer": "/PasswordPolicy", "policy": policy}, ids=ids)
        else:
            yield self.passed(snapshot.account_arn, f"Passwords need {length}+ characters and the last {reuse} cannot be reused.", ids=ids)
