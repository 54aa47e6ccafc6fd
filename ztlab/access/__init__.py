"""Who holds which policy: the one layer that gathers, from an account snapshot, every policy AWS
consults for a request. Checks, lab objectives and `who-can` ask through it; the engine
(`ztlab.policy`) decides. It never decides anything and never talks to AWS.

Gathering (raise `AccessReadError` when a policy that should be there cannot be used):
    policy_set_for(snapshot, caller, resource_arn, *, session=None, scp_account=None) -> PolicySet
    identity_policies(snapshot, principal) -> [Policy]      inline + attached, own and groups'
    boundary_policy(snapshot, principal) -> Policy | None
    scp_levels(snapshot, account_id=None) / rcp_levels(...)  -> [[Policy]] root .. account;
        [] for the management account (AWS: neither restricts it)
    policy_levels(snapshot, path, type)                      the same for a position in the tree
    resource_policy(snapshot, resource_arn) -> Policy | None bucket, key, trust, topic, secret
    `principal` is a snapshot IamUser / IamRole or a user / role / role-session ARN.

Documents:
    AccessReadError     the one error: unparseable, unreadable or missing (a missing group included)
    load_policy(document, name, kind=None)   memoised parse of a snapshot document
    ALLOW_EVERYTHING / allow_everything(whose)  the side of a caller whose policies are not ours

Callers:
    OUTSIDER_ACCOUNT, standard_callers(account) = same_account_callers + outsider_callers + anonymous
    named_callers(policies, account)   callers a policy singles out, from parsed principals only
    caller_for(snapshot, principal)    a principal ARN as AWS sees it calling (roles via a session)
    caller_text(caller)                how findings and objectives name a caller
"""

from ztlab.access.callers import (
    OUTSIDER_ACCOUNT, caller_for, caller_text, named_callers, outsider_callers, same_account_callers, standard_callers,
)
from ztlab.access.documents import ALLOW_EVERYTHING, AccessReadError, allow_everything, load_policy
from ztlab.access.gather import (
    RCP, SCP, boundary_policy, identity_policies, organization_path, policy_levels, policy_set_for, rcp_levels,
    resource_policy, scp_levels,
)

__all__ = [
    "ALLOW_EVERYTHING", "AccessReadError", "OUTSIDER_ACCOUNT", "RCP", "SCP", "allow_everything", "boundary_policy",
    "caller_for", "caller_text", "identity_policies", "load_policy", "named_callers", "organization_path",
    "outsider_callers", "policy_levels", "policy_set_for", "rcp_levels", "resource_policy", "same_account_callers",
    "scp_levels", "standard_callers",
]
