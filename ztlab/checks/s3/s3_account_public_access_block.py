from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import PAB_FLAGS
from ztlab.snapshot import AccountSnapshot


class AccountPublicAccessBlock(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_account_public_access_block",
        title="S3 Block Public Access is on for the whole account",
        service="s3",
        principle="least-privilege",
        severity="high",
        rationale="The account-level setting covers every bucket, including the ones created tomorrow by "
        "someone in a hurry. Turn all four flags on and grant exceptions deliberately.",
        remediation=Remediation(
            cli="aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration "
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
            console="S3 > Block Public Access settings for this account > Edit: tick 'Block all public access'.",
        ),
        controls=Controls(fsbp=("S3.1",), cis=("2.1.4",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        resource, ids = f"arn:aws:s3:::account/{snapshot.account_id}", [snapshot.account_id, snapshot.account_arn]
        why = snapshot.s3.unreadable("account_public_access_block")
        if why:
            yield self.unknown(resource, f"the account's public access block could not be read: {why}", ids=ids)
            return
        config = snapshot.s3.account_public_access_block or {}
        off = [f for f in PAB_FLAGS if not config.get(f)]
        if off:
            yield self.failed(resource, f"Account-level S3 Block Public Access is incomplete: {', '.join(off)} "
                              f"{'is' if len(off) == 1 else 'are'} off.", evidence={"pointer": f"/PublicAccessBlockConfiguration/{off[0]}", "off": off}, ids=ids)
        else:
            yield self.passed(resource, "Account-level S3 Block Public Access is fully on.", ids=ids)
