"""ztlab's IAM policy engine: parse, evaluate and explain requests the way AWS does.

A pure library: no network, no Textual, nothing else of ztlab.
"""

from ztlab.policy.document import Policy, Statement, parse_policy
from ztlab.policy.errors import Diagnostic, PolicyError
from ztlab.policy.evaluate import Evaluation, MatchedStatement, PolicySet, Request, evaluate
from ztlab.policy.principals import Caller

__all__ = [
    "Caller", "Diagnostic", "Evaluation", "MatchedStatement", "Policy", "PolicyError", "PolicySet",
    "Request", "Statement", "evaluate", "parse_policy",
]
