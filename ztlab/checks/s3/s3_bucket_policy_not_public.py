from typing import Iterable

from ztlab.checks._access import (
    ALLOW_EVERYTHING, OUTSIDER_IP, PolicyUnreadable, contexts, load_policy, outsider_callers, requests, search,
)
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets, effective_block
from ztlab.checks.s3._policy import s3_requests
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot


class BucketPolicyNotPublic(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_policy_not_public",
        title="S3 bucket policies grant nothing to anonymous callers or to any AWS account",
        service="s3",
        principle="least-privilege",
        severity="critical",
        rationale="A bucket policy that lets anyone (Principal \"*\" without a condition only your network or "
        "organization can meet) read, write or reconfigure the bucket makes its data public. Grant named "
        "principals, or narrow with aws:SourceVpce / aws:PrincipalOrgID.",
        remediation=Remediation(
            cli="aws s3api get-bucket-policy --bucket <bucket> (remove or narrow the public statement) && aws s3api "
            "put-bucket-policy --bucket <bucket> --policy file://policy.json && aws s3api put-public-access-block "
            "--bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,"
            "BlockPublicPolicy=true,RestrictPublicBuckets=true",
            console="S3 > the bucket > Permissions > Bucket policy > Edit: replace Principal \"*\" with specific "
            "principals or add a Condition on aws:PrincipalOrgID or aws:SourceVpce; then turn on Block public access.",
        ),
        controls=Controls(fsbp=("S3.2", "S3.3", "S3.6"), cis=("2.1.4",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "policy"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            ids = bucket_ids(bucket)
            if not bucket.policy:
                yield self.passed(bucket.arn, f"Bucket {bucket.name} has no bucket policy, so it grants nothing to outsiders.", ids=ids)
                continue
            try:
                policy = load_policy(bucket.policy, f"bucket policy of {bucket.name}", "resource")
            except PolicyUnreadable as exc:
                yield self.unknown(bucket.arn, str(exc), ids=ids)
                continue
            outsiders_own = load_policy(ALLOW_EVERYTHING, "the outsider's own permissions")
            policies = PolicySet(identity=[outsiders_own], resource=policy)
            ctxs = contexts([policy], outsider=True, base={"aws:SecureTransport": "true", "aws:SourceIp": OUTSIDER_IP})
            callers = [Caller.anonymous(), *outsider_callers()]
            found = search(requests(callers, s3_requests(bucket.name, policy), ctxs, snapshot.account_id),
                           policies, lambda e: e.allowed)
            if found is None:
                yield self.passed(bucket.arn, f"Bucket {bucket.name}'s policy grants nothing to anonymous callers or unknown accounts.", ids=ids)
                continue
            flags, source = effective_block(snapshot, bucket)
            r = found.request
            what = f"{found.evidence()['request']['caller']} may call {r.action} on {r.resource}"
            if flags["RestrictPublicBuckets"]:
                yield self.passed(bucket.arn, f"Bucket {bucket.name}'s policy is public ({what}), but RestrictPublicBuckets "
                                  f"({source['RestrictPublicBuckets']} level) stops S3 from honouring it. Remove the public statement anyway.",
                                  evidence=found.evidence(), ids=ids)
            else:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} is public through its policy: {what}.",
                                  evidence=found.evidence(), ids=ids)
