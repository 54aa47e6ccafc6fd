"""S3.5 asked as an access question: is every request made without TLS explicitly denied by the bucket policy?

String matching gets this wrong both ways (a Deny on s3:PutObject only, or on the bucket ARN only,
passes; a correct Deny written with the JSON boolean `false` or `["false"]` fails). Here the bucket
policy alone is evaluated by the policy engine for every S3 action, on the bucket and on an object;
then a sample of actions for a same-account user and role, another account, its root and an anonymous caller, plus every
principal and condition value the policy itself names (so a NotPrincipal or condition exemption is
tried too), all with aws:SecureTransport=false. The requirement holds only when each one ends in an
explicit Deny.
"""

from __future__ import annotations

import itertools
import json
from typing import Iterable

from ztlab.checks._probes import condition_exemptions, named_callers
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import bucket_ids, buckets
from ztlab.snapshot import AccountSnapshot

_SAMPLE_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:PutBucketPolicy",
                   "s3:GetBucketAcl")


class BucketRequiresTls(Check):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_requires_tls",
        title="S3 bucket policies deny every request made without TLS",
        service="s3",
        principle="encrypt-everything",
        severity="medium",
        rationale="Only an explicit Deny when aws:SecureTransport is false stops a plain-HTTP request: an Allow "
        "conditioned on TLS denies nothing when another policy allows, and a Deny that names one action, only the "
        "bucket ARN, or exempts a principal leaves the rest readable in clear.",
        remediation=Remediation(
            cli="aws s3api put-bucket-policy --bucket <bucket> --policy '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            "\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::<bucket>\","
            "\"arn:aws:s3:::<bucket>/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}' "
            "(merge the statement into the existing policy rather than replacing it)",
            console="S3 > the bucket > Permissions > Bucket policy > Edit: add a Deny for Principal \"*\", Action \"s3:*\" "
            "on the bucket and bucket/* when aws:SecureTransport is false.",
        ),
        controls=Controls(fsbp=("S3.5",), cis=("2.1.1",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        from ztlab.policy import PolicyError, PolicySet, parse_policy
        from ztlab.policy.access import build_requests, describe_request, find_request, standard_callers
        from ztlab.policy.actions import service_actions
        from ztlab.policy.principals import Caller

        actions = service_actions("s3") or list(_SAMPLE_ACTIONS)
        for bucket in buckets(self, snapshot, "policy"):
            if isinstance(bucket, Finding):
                yield bucket
                continue
            ids = bucket_ids(bucket)
            if not bucket.policy:
                yield self.failed(bucket.arn, f"Bucket {bucket.name} has no bucket policy, so nothing denies plain-HTTP requests.", ids=ids)
                continue
            try:
                policy = parse_policy(bucket.policy, name=f"bucket policy of {bucket.name}")
                document = json.loads(bucket.policy)
            except (PolicyError, ValueError) as exc:
                yield self.failed(bucket.arn, f"The bucket policy of {bucket.name} cannot be parsed, so it protects nothing: {exc}",
                                  ids=ids)
                continue
            callers = standard_callers(snapshot.account_id)
            callers += [Caller.from_arn(arn) for arn in named_callers(document)]
            contexts = [{"aws:SecureTransport": "false"}]
            contexts += [{"aws:SecureTransport": "false", **extra} for extra in condition_exemptions(document)]
            resources = [bucket.arn, f"{bucket.arn}/ztlab-probe/object.txt"]
            # Every action once (an explicit list that forgets one is caught), then a sample of actions for
            # every caller and context (exemptions are by principal or condition, not by action).
            requests = itertools.chain(
                build_requests(actions, resources, callers[:1], contexts[:1], resource_owner=snapshot.account_id),
                build_requests(_SAMPLE_ACTIONS, resources, callers, contexts, resource_owner=snapshot.account_id),
            )
            hit = find_request(requests, PolicySet(resource=policy), lambda e: e.decision != "explicitDeny")
            if hit is None:
                yield self.passed(bucket.arn, f"Bucket {bucket.name} denies every request made without TLS, on the bucket and its objects.",
                                  ids=ids)
            else:
                request, _ = hit
                yield self.failed(
                    bucket.arn,
                    f"Bucket {bucket.name} does not deny every plain-HTTP request: {describe_request(request)} is not explicitly "
                    "denied. Deny every action (s3:*) for every principal (\"*\") on the bucket and bucket/* when "
                    "aws:SecureTransport is false.",
                    evidence={"pointer": "/Statement", "request": describe_request(request)},
                    ids=ids,
                )
