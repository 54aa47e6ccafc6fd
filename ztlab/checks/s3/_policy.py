"""The S3 requests every bucket-policy question tries."""

from __future__ import annotations

from ztlab.checks._questions import policy_actions, policy_resources
from ztlab.policy import Policy

OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:PutObjectAcl",
                  "s3:GetObjectVersion", "s3:RestoreObject")
BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
                  "s3:DeleteBucket", "s3:PutBucketAcl", "s3:GetBucketAcl", "s3:PutBucketPublicAccessBlock",
                  "s3:ListBucketVersions", "s3:PutEncryptionConfiguration")
PROBE_KEY = "ztlab-probe/any-object.txt"


def is_object_action(action: str) -> bool:
    name = action.split(":", 1)[-1].lower()
    return "object" in name or name in ("abortmultipartupload", "listmultipartuploadparts")


def s3_requests(bucket: str, policy: Policy | None) -> list[tuple[str, str]]:
    """(action, resource) pairs: object actions on object ARNs, bucket actions on the bucket ARN,
    plus the actions and object paths the policy itself names."""
    bucket_arn = f"arn:aws:s3:::{bucket}"
    objects = [f"{bucket_arn}/{PROBE_KEY}"]
    actions = list(OBJECT_ACTIONS + BUCKET_ACTIONS)
    if policy is not None:
        objects += [r for r in policy_resources(policy, bucket_arn + "/")]
        actions += [a for a in policy_actions(policy, "s3") if a not in actions]
    pairs: list[tuple[str, str]] = []
    for action in actions:
        if is_object_action(action):
            pairs.extend((action, obj) for obj in dict.fromkeys(objects))
        else:
            pairs.append((action, bucket_arn))
    return pairs
