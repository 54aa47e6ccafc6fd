from typing import Iterable

from ztlab.checks._access import (
    ALLOW_EVERYTHING, PolicyUnreadable, contexts, load_policy, named_callers, requests, search, standard_callers,
)
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.checks.s3._policy import s3_requests
from ztlab.policy import PolicySet
from ztlab.snapshot import AccountSnapshot


class BucketRequiresTls(Check):
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

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        for bucket in buckets(self, snapshot, "policy"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            ids = bucket_ids(bucket)
            if not bucket.policy:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} has no bucket policy, so nothing refuses plain-HTTP requests.", ids=ids)
                continue
            try:
                policy = load_policy(bucket.policy, f"bucket policy of {bucket.name}", "resource")
            except PolicyUnreadable as exc:
                yield self.unknown(bucket.arn, str(exc), ids=ids)
                continue
            policies = PolicySet(identity=[load_policy(ALLOW_EVERYTHING, "caller's own permissions")], resource=policy)
            # S3 always sets aws:SecureTransport, so "false" is the one case to deny (absent never occurs).
            ctxs = contexts([policy], {"aws:SecureTransport": "false"})
            callers = standard_callers(snapshot.account_id) + named_callers([policy], snapshot.account_id)
            found = search(requests(callers, s3_requests(bucket.name, policy), ctxs, snapshot.account_id),
                           policies, lambda e: e.decision != "explicitDeny")
            if found is None:
                yield self.passed(bucket.arn, f"Bucket {bucket.name} denies every request made without TLS, from any caller.", ids=ids)
            else:
                r = found.request
                tls = r.context.get("aws:securetransport", "absent")
                yield self.failed(
                    bucket.arn,
                    f"Bucket {bucket.name} does not refuse every request without TLS: {r.action} on {r.resource} by "
                    f"{found.evidence()['request']['caller']} with aws:SecureTransport {tls} is {found.evaluation.decision}, "
                    "not denied. The Deny must cover every principal, every action, the bucket and its objects.",
                    evidence=found.evidence(), ids=ids,
                )
