"""Questions about every resource a pattern names: "can the role read anything in the payroll
bucket?" is `Request("s3:GetObject", "arn:aws:s3:::payroll/*", role)` asked with
`evaluate_pattern`.

The answer is allowed when some concrete resource matching the pattern is allowed. It is found,
not guessed: the question's pattern is intersected with the Resource patterns of the statements
that would have to allow (the identity and resource policies, then the boundary, session policies
and each SCP level), concrete resources are written from those intersections, and each is decided
by `evaluate` like any request. An allowed answer therefore always comes with a real resource and
a real decision; the patterns it lists are the allowing statements' Resource patterns intersected
with the question's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ztlab.policy.document import Policy, Statement
from ztlab.policy.evaluate import Evaluation, PolicySet, Request, evaluate
from ztlab.policy.intersect import Tokens, example, intersect, pattern_text
from ztlab.policy.patterns import arn_tokens, resolve, resource_tokens, split_variables
from ztlab.policy.wildcards import STAR, compile_tokens

_ANY: Tokens = ((STAR, "", False),)
_FILLERS = ("example", "")  # what a `*` becomes in the concrete resources tried
_CANDIDATES = 48  # patterns kept while narrowing; each gives up to two concrete resources


def is_pattern(resource: str) -> bool:
    """Does the resource hold a wildcard (`*` or `?`)?"""
    return "*" in resource or "?" in resource


@dataclass
class PatternAnswer:
    """decision / allowed: as for one request, for "some resource matching the pattern".
    example: the concrete resource that decided (allowed: one the caller may act on).
    evaluation: the engine's Evaluation of that resource (deciding statements, explain()).
    patterns: for an allowed answer, the Resource patterns of the allowing statements
      intersected with the question's pattern: what exactly the caller may reach.
    complete: False when an intersection had more patterns than are listed."""

    pattern: str
    example: str
    evaluation: Evaluation
    patterns: list[str] = field(default_factory=list)
    complete: bool = True

    @property
    def decision(self) -> str:
        return self.evaluation.decision

    @property
    def allowed(self) -> bool:
        return self.evaluation.allowed

    def explain(self) -> str:
        if self.allowed:
            return (f"allowed on {self.example} (and whatever matches {', '.join(self.patterns) or self.pattern}): "
                    + self.evaluation.explain())
        return f"nothing matching {self.pattern} is allowed; e.g. {self.example}: " + self.evaluation.explain()


def evaluate_pattern(request: Request, policies: PolicySet) -> PatternAnswer:
    """Is the request allowed on some resource matching `request.resource` (a pattern such as
    `arn:aws:s3:::payroll/*`, or `*` for any resource)? See the module docstring."""
    action = request.action.lower()
    context = request.full_context()
    # the question names real resources: its wildcards stay within an ARN segment, as ArnLike's
    # do (a statement's `*` ending a segment may cross colons, a real region never holds one)
    question = arn_tokens(split_variables(request.resource, variables=False))
    in_question = compile_tokens(question)
    candidates = [question]
    for group in _must_allow(policies, action, request):
        patterns = [p for st in group for p in _statement_patterns(st, context)]
        narrowed: dict[Tokens, None] = {}
        for candidate in candidates:
            for pattern in patterns:
                for common in intersect(candidate, pattern, limit=8)[0]:
                    narrowed[common] = None
        if narrowed:  # else this layer allows nothing here: any resource shows why
            candidates = sorted(narrowed, key=_specific_first)[:_CANDIDATES]
    tried: dict[str, None] = {}
    for candidate in candidates:
        for filler in _FILLERS:
            resource = example(candidate, filler)
            if in_question(resource):
                tried[resource] = None
    first: Evaluation | None = None
    first_resource = ""
    for resource in tried:
        evaluation = evaluate(_with_resource(request, resource), policies)
        if evaluation.allowed:
            patterns, complete = _allowing_patterns(evaluation, question, context)
            return PatternAnswer(request.resource, resource, evaluation, patterns, complete)
        if first is None:
            first, first_resource = evaluation, resource
    if first is None:  # nothing writable (cannot happen for a pattern that matches something)
        first_resource = example(question, _FILLERS[0])
        first = evaluate(_with_resource(request, first_resource), policies)
    return PatternAnswer(request.resource, first_resource, first)


def _must_allow(policies: PolicySet, action: str, request: Request) -> list[list[Statement]]:
    """Statement groups of which one Allow must match: identity + resource policies, then each
    limiting layer."""
    def allows(layer: list[Policy]) -> list[Statement]:
        return [st for p in layer for st in p.statements_for(action) if st.is_allow]

    caller = request.caller
    groups = [allows(policies.identity + ([policies.resource] if policies.resource else []))]
    if caller.is_iam_principal:
        if policies.boundary is not None and caller.principal_type != "Account":
            groups.append(allows([policies.boundary]))
        if policies.session:
            groups.append(allows(policies.session))
        groups.extend(allows(level) for level in policies.scps)
    return groups


def _statement_patterns(st: Statement, context: dict[str, list[str]]) -> list[Tokens]:
    if st.resources is None:  # NotResource, or a trust policy: the statement reaches wide
        return [_ANY]
    out = []
    for text in st.resources:
        resolved = resolve(split_variables(text, variables=st.variables), context)
        if resolved is not None:
            out.append(resource_tokens(resolved))
    return out


def _allowing_patterns(evaluation: Evaluation, question: Tokens,
                       context: dict[str, list[str]]) -> tuple[list[str], bool]:
    out: dict[str, None] = {}
    complete = True
    for layer, _policy, st in evaluation.statements():
        if st.is_allow and layer in ("identity", "resource"):
            for pattern in _statement_patterns(st, context):
                found, whole = intersect(question, pattern)
                complete = complete and whole
                for common in sorted(found, key=_specific_first):
                    out[pattern_text(common)] = None
    return list(out), complete


def _specific_first(tokens: Tokens) -> tuple[int, int]:
    return (sum(t[0] == STAR for t in tokens), len(tokens))


def _with_resource(request: Request, resource: str) -> Request:
    return Request(request.action, resource, request.caller, request.resource_owner, request.context)
