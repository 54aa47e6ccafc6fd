from typing import Iterable

from ztlab.access import AccessReadError, boundary_policy, identity_policies, scp_levels
from ztlab.checks._questions import contexts, requests, search
from ztlab.checks.base import Check
from ztlab.checks.iam._privilege import generic_resource
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot

DESTRUCTIVE = ("s3:DeleteBucket", "s3:DeleteObject", "s3:PutBucketPolicy", "ec2:TerminateInstances", "rds:DeleteDBInstance",
               "iam:DeleteUser", "iam:DeleteRole", "kms:ScheduleKeyDeletion", "cloudtrail:DeleteTrail",
               "cloudtrail:StopLogging", "dynamodb:DeleteTable", "secretsmanager:DeleteSecret")


def probe_resource(snapshot: AccountSnapshot, action: str) -> str:
    if action in ("s3:DeleteBucket", "s3:PutBucketPolicy"):
        return "arn:aws:s3:::ztlab-probe-bucket"
    return generic_resource(snapshot, action.split(":")[0])


class UserDestructiveActionsRequireMfa(Check):
    sections = ("iam",)
    metadata = CheckMetadata(
        id="iam_user_destructive_actions_require_mfa",
        title="IAM users can run destructive actions only with MFA",
        service="iam",
        principle="verify-explicitly",
        severity="medium",
        rationale="Deleting data, keys, trails or infrastructure cannot be undone. A condition on "
        "aws:MultiFactorAuthPresent (or a Deny when it is false / absent) means a stolen access key alone cannot do it.",
        remediation=Remediation(
            cli="aws iam put-group-policy --group-name <group> --policy-name require-mfa-to-destroy --policy-document "
            "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"s3:DeleteBucket\",\"ec2:TerminateInstances\",...],"
            "\"Resource\":\"*\",\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}]}'",
            console="IAM > User groups > the group > Permissions > Add inline policy: Deny the destructive actions with "
            "Condition BoolIfExists aws:MultiFactorAuthPresent = false.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        if not snapshot.iam.users:
            yield self.account_not_applicable(snapshot, "The account has no IAM users.")
        for user in snapshot.iam.users:
            ids = [user.name]
            try:
                identity = identity_policies(snapshot, user)
                boundary = boundary_policy(snapshot, user)
                scps = [level for level in scp_levels(snapshot) if level]
            except AccessReadError as exc:
                yield self.unknown(user.arn, str(exc), ids=ids)
                continue
            if not identity:
                yield self.passed(user.arn, f"User {user.name} has no permissions at all.", ids=ids)
                continue
            policies = PolicySet(identity=identity, boundary=boundary, scps=scps)
            every = [*identity, *([boundary] if boundary else [])]
            ctxs = contexts(every, {"aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": None}) + \
                contexts(every, {"aws:MultiFactorAuthPresent": None, "aws:MultiFactorAuthAge": None})
            pairs = [(a, probe_resource(snapshot, a)) for a in DESTRUCTIVE]
            pairs += [(a, r) for a in DESTRUCTIVE for p in identity for st in p.statements if st.is_allow
                      for r in (st.resources or []) if r.startswith(f"arn:aws:{a.split(':')[0]}:") and "${" not in r
                      for r in [r.replace("*", "x").replace("?", "x")]]
            found = search(requests([Caller.from_arn(user.arn)], dict.fromkeys(pairs), ctxs, snapshot.account_id),
                           policies, lambda e: e.allowed)
            if found is None:
                yield self.passed(user.arn, f"User {user.name} cannot run destructive actions without MFA.", ids=ids)
            else:
                mfa = found.request.context.get("aws:multifactorauthpresent", "absent")
                yield self.failed(user.arn, f"User {user.name} can call {found.request.action} on {found.request.resource} "
                                  f"without MFA (aws:MultiFactorAuthPresent {mfa}).", evidence=found.evidence(), ids=ids)
