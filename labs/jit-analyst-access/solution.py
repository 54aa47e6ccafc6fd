"""The reference session policy for FRAUD-482, written where the learner would write it."""

import json
from pathlib import Path

SESSION_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadQ4Claims",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::meridian-claims-lake/claims/2026/q4/*",
        },
        {
            "Sid": "ListQ4Only",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::meridian-claims-lake",
            "Condition": {"StringLike": {"s3:prefix": ["claims/2026/q4/", "claims/2026/q4/*"]}},
        },
    ],
}


def solve(ctx) -> None:
    workspace = Path(ctx.names["workspace"])
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "session-policy.json").write_text(json.dumps(SESSION_POLICY, indent=2) + "\n", encoding="utf-8")
