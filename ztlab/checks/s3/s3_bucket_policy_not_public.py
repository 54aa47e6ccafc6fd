from typing import Iterable

from ztlab.access import allow_everything, load_policy, outsider_callers
from ztlab.checks._questions import OUTSIDER_IP, contexts, requests, search
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck, effective_block
from ztlab.checks.s3._policy import s3_requests
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketPolicyNotPublic(BucketCheck):
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

    parts = ("policy",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        if not bucket.policy:
            yield subject.passed(f"Bucket {bucket.name} has no bucket policy, so it grants nothing to outsiders.")
            return
        policy = load_policy(bucket.policy, f"bucket policy of {bucket.name}", "resource")
        outsiders_own = allow_everything("the outsider's own permissions")
        policies = PolicySet(identity=[outsiders_own], resource=policy)
        ctxs = contexts([policy], outsider=True, base={"aws:SecureTransport": "true", "aws:SourceIp": OUTSIDER_IP})
        callers = [Caller.anonymous(), *outsider_callers()]
        found = search(requests(callers, s3_requests(bucket.name, policy), ctxs, snapshot.account_id),
                       policies, lambda e: e.allowed)
        if found is None:
            yield subject.passed(f"Bucket {bucket.name}'s policy grants nothing to anonymous callers or unknown accounts.")
            return
        flags, source = effective_block(snapshot, bucket)
        r = found.request
        what = f"{found.evidence()['request']['caller']} may call {r.action} on {r.resource}"
        if flags["RestrictPublicBuckets"]:
            yield subject.passed(f"Bucket {bucket.name}'s policy is public ({what}), but RestrictPublicBuckets "
                                 f"({source['RestrictPublicBuckets']} level) stops S3 from honouring it. Remove the public statement anyway.",
                                 evidence=found.evidence())
        else:
            yield subject.failed(f"Bucket {bucket.name} is public through its policy: {what}.",
                                 evidence=found.evidence())
