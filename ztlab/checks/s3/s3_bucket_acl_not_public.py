from typing import Iterable

from ztlab.checks.base import Subject
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.checks.s3._buckets import BucketCheck, effective_block, public_acl_grants
from ztlab.snapshot import AccountSnapshot, S3Bucket


class BucketAclNotPublic(BucketCheck):
    sections = ("s3",)
    metadata = CheckMetadata(
        id="s3_bucket_acl_not_public",
        title="S3 bucket ACLs grant nothing to everyone or to all AWS accounts",
        service="s3",
        principle="least-privilege",
        severity="critical",
        rationale="An ACL grant to AllUsers or AuthenticatedUsers makes the bucket readable or writable by "
        "anyone (any AWS customer counts as 'authenticated'). Unless IgnorePublicAcls neutralises it, it is public.",
        remediation=Remediation(
            cli="aws s3api put-bucket-acl --bucket <bucket> --acl private && aws s3api put-bucket-ownership-controls "
            "--bucket <bucket> --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
            console="S3 > the bucket > Permissions > Object Ownership > Edit: 'ACLs disabled (recommended)'.",
        ),
        controls=Controls(fsbp=("S3.2", "S3.3")),
    )

    parts = ("acl",)

    def judge(self, snapshot: AccountSnapshot, bucket: S3Bucket, subject: Subject) -> Iterable[Finding]:
        grants = public_acl_grants(bucket.acl)
        if not grants:
            yield subject.passed(f"Bucket {bucket.name}'s ACL grants nothing to the public.")
            return
        text = ", ".join(f"{perm} to {who}" for _, who, perm in grants)
        enforced = (bucket.ownership or {}).get("Rules", [{}])[0].get("ObjectOwnership") == "BucketOwnerEnforced"
        flags, source = effective_block(snapshot, bucket)
        if enforced or flags["IgnorePublicAcls"]:
            why = "ACLs are disabled (BucketOwnerEnforced)" if enforced else f"IgnorePublicAcls is on ({source['IgnorePublicAcls']} level)"
            yield subject.passed(f"Bucket {bucket.name}'s ACL lists {text}, but S3 ignores it because {why}. "
                                 "Remove the grant anyway.", evidence={"pointer": f"/Grants/{grants[0][0]}"})
        elif flags["IgnorePublicAcls"] is None:
            yield subject.unknown(f"bucket {bucket.name}'s ACL grants {text} and the account's IgnorePublicAcls "
                                  "could not be read")
        else:
            yield subject.failed(f"Bucket {bucket.name} is public through its ACL: {text}.",
                                 evidence={"pointer": f"/Grants/{grants[0][0]}", "pointers": [f"/Grants/{i}" for i, _, _ in grants]})
