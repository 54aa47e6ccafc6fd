from typing import Iterable

from ztlab.access import AccessReadError, allow_everything, caller_text, load_policy, outsider_callers
from ztlab.checks._questions import OUTSIDER_IP, contexts, requests, search
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import Caller, PolicySet
from ztlab.snapshot import AccountSnapshot

KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant",
               "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey")


class KmsKeyPolicyNotPublic(Check):
    sections = ("kms",)
    metadata = CheckMetadata(
        id="kms_key_policy_not_public",
        title="KMS key policies grant nothing to anonymous callers or to any AWS account",
        service="kms",
        principle="least-privilege",
        severity="critical",
        rationale="The key policy is the root of trust for everything the key encrypts. Principal \"*\" without a "
        "condition only your organization can meet lets any AWS account use (or manage) the key.",
        remediation=Remediation(
            cli="aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://key-policy.json  "
            "(name your account root and specific roles, or add aws:PrincipalOrgID / kms:CallerAccount conditions)",
            console="KMS > Customer managed keys > the key > Key policy > Edit: remove statements with Principal \"*\" "
            "or restrict them with a condition on your account or organization.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        keys = [k for k in snapshot.kms.keys if k.customer_managed or k.errors]
        if not keys:
            yield self.account_not_applicable(snapshot, "The account has no customer managed KMS keys.")
        own = allow_everything("the outsider's own permissions")
        for key in keys:
            ids = [key.key_id, *key.aliases]
            arn = key.arn or key.key_id
            if key.errors.get("policy") or key.policy is None:
                yield self.unknown(arn, f"the key policy of {key.key_id} could not be read: {key.errors.get('policy', 'missing')}", ids=ids)
                continue
            try:
                policy = load_policy(key.policy, f"key policy of {key.key_id}", "resource")
            except AccessReadError as exc:
                yield self.unknown(arn, str(exc), ids=ids)
                continue
            ctxs = contexts([policy], outsider=True, base={"aws:SourceIp": OUTSIDER_IP, "aws:SecureTransport": "true"})
            found = search(requests([Caller.anonymous(), *outsider_callers()], [(a, arn) for a in KEY_ACTIONS], ctxs, snapshot.account_id),
                           PolicySet(identity=[own], resource=policy), lambda e: e.allowed)
            if found is None:
                yield self.passed(arn, f"Key {key.key_id}'s policy grants nothing to anonymous callers or unknown accounts.", ids=ids)
            else:
                yield self.failed(arn, f"Key {key.key_id} is usable by outsiders: {caller_text(found.request.caller)} may call "
                                  f"{found.request.action}.", evidence=found.evidence(), ids=ids)
