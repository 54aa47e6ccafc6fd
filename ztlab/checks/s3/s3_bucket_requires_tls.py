from typing import Iterable

from ztlab.access import allow_everything, load_policy, named_callers, standard_callers
from ztlab.checks._questions import contexts, requests, search
from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck
from ztlab.checks.s3._policy import s3_requests
from ztlab.policy import PolicySet
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketRequiresTls(BucketCheck):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_requires_tls",
        title="S3 bucket policies deny every request made without TLS",
        service="s3",
        principle="encrypt-everything",
        severity="medium",
        rationale="S3 still answers plain HTTP. Only an explicit Deny when aws:SecureTransport is false, "
        "covering every principal, every action, the bucket and all of its objects, guarantees that no "
        "client, yours or anyone else's, moves this data unencrypted. An Allow conditioned on TLS denies nothing.",
        remediation=Remediation(
            cli="aws s3api put-bucket-policy --bucket <bucket> --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            "\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
            "[\"arn:aws:s3:::<bucket>\",\"arn:aws:s3:::<bucket>/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}'  "
            "(merge the statement into an existing policy rather than replacing it)",
            console="S3 > the bucket > Permissions > Bucket policy > Edit: add a Deny statement for Principal \"*\", "
            "Action \"s3:*\", the bucket ARN and bucket/*, with Condition Bool aws:SecureTransport = false.",
        ),
        controls=Controls(fsbp=("S3.5",), cis=("2.1.1",)),
    )

    parts = ("policy",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        if not bucket.policy:
            yield subject.failed(f"Bucket {bucket.name} has no bucket policy, so nothing refuses plain-HTTP requests.")
            return
        policy = load_policy(bucket.policy, f"bucket policy of {bucket.name}", "resource")
        policies = PolicySet(identity=[allow_everything("caller's own permissions")], resource=policy)
        # S3 always sets aws:SecureTransport, so "false" is the one case to deny (absent never occurs).
        ctxs = contexts([policy], {"aws:SecureTransport": "false"})
        callers = standard_callers(snapshot.account_id) + named_callers([policy], snapshot.account_id)
        found = search(requests(callers, s3_requests(bucket.name, policy), ctxs, snapshot.account_id),
                       policies, lambda e: e.decision != "explicitDeny")
        if found is None:
            yield subject.passed(f"Bucket {bucket.name} denies every request made without TLS, from any caller.")
        else:
            r = found.request
            tls = r.context.get("aws:securetransport", "absent")
            yield subject.failed(f"Bucket {bucket.name} does not refuse every request without TLS: {r.action} on {r.resource} by "
                                 f"{found.evidence()['request']['caller']} with aws:SecureTransport {tls} is {found.evaluation.decision}, "
                                 "not denied. The Deny must cover every principal, every action, the bucket and its objects.",
                                 evidence=found.evidence())
