"""`aws iam simulate-custom-policy` input and output shapes, so AWS users already know them.

The input is the API's request object (PolicyInputList, ActionNames, ContextEntries, ...) plus
extensions: SessionPolicyInputList, ServiceControlPolicyInputList and
ResourceControlPolicyInputList (lists of levels, each a list of policies). Policies may be JSON strings or objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ztlab.policy.conditions import parse_date, parse_network, parse_number
from ztlab.policy.document import Policy, PolicyKind, parse_policy
from ztlab.policy.evaluate import Evaluation, PolicySet, Request, evaluate
from ztlab.policy.jsonpos import Located, join_pointer, sub_located
from ztlab.policy.principals import Caller

INPUT_KEYS = ("PolicyInputList", "PermissionsBoundaryPolicyInputList", "ResourcePolicy", "ResourceOwner",
              "CallerArn", "ActionNames", "ResourceArns", "ContextEntries", "SessionPolicyInputList",
              "ServiceControlPolicyInputList", "ResourceControlPolicyInputList", "ResourceHandlingOption", "MaxItems", "Marker")
# Keys a case file may carry for people and test runners; the simulation ignores them.
METADATA_KEYS = ("Description", "Comment", "Source", "Expected", "ExpectedMissingContextValues",
                 "ExpectedFailedLayer", "Name", "Id")
CONTEXT_TYPES = ("string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList",
                 "binary", "binaryList", "date", "dateList")
SOURCE_POLICY_TYPES = {"identity": "IAM Policy", "boundary": "PermissionsBoundaryPolicy",
                       "resource": "Resource Policy", "session": "Session Policy",
                       "scp": "Service Control Policy", "rcp": "Resource Control Policy"}


class SimulationInputError(ValueError):
    """Bad simulation input: the message says what, where and how to fix it."""


@dataclass
class Simulation:
    policies: PolicySet
    actions: list[str]
    resources: list[str]
    caller: Caller
    resource_owner: str | None
    context: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)

    def requests(self) -> list[Request]:
        return [Request(a, r, self.caller, self.resource_owner, self.context)
                for a in self.actions for r in self.resources]

    def run(self) -> list[Evaluation]:
        return [evaluate(req, self.policies) for req in self.requests()]


def load_simulation(data: object, *, source: str = "input", located: Located | None = None,
                    pointer: str = "") -> Simulation:
    """Build a Simulation from the API-shaped object; raise SimulationInputError or PolicyError."""
    if not isinstance(data, dict):
        raise SimulationInputError(f"{source}: the simulation input must be a JSON object with keys like "
                                   "PolicyInputList and ActionNames")
    warnings = [f"{source}: ignoring unknown key {k!r} (known: {', '.join(INPUT_KEYS)})"
                for k in data if k not in INPUT_KEYS and k not in METADATA_KEYS]

    def policy(value: object, label: str, ptr: str, kind: PolicyKind) -> Policy:
        name = f"{source} {label}" if source else label
        if isinstance(value, Policy):
            return value
        if isinstance(value, dict):
            sub = sub_located(located, ptr) if located is not None else None
            return _named(parse_policy(value, name=name, kind=kind, located=sub), label)
        if isinstance(value, (str, bytes)):
            return _named(parse_policy(value, name=name, kind=kind), label)
        raise SimulationInputError(f"{source}: {label} must be a policy (a JSON string or object), "
                                   f"got {type(value).__name__}")

    def policy_list(key: str, kind: PolicyKind) -> list[Policy]:
        raw = data.get(key, [])
        if raw is None:
            return []
        if not isinstance(raw, list):
            raw = [raw]
        base = join_pointer(pointer, key)
        return [policy(v, f"{key}.{i + 1}", join_pointer(base, i), kind) for i, v in enumerate(raw)]

    identity = policy_list("PolicyInputList", "identity")
    boundaries = policy_list("PermissionsBoundaryPolicyInputList", "boundary")
    if len(boundaries) > 1:
        raise SimulationInputError(f"{source}: PermissionsBoundaryPolicyInputList takes one policy "
                                   f"(an entity has at most one boundary), got {len(boundaries)}")
    session = policy_list("SessionPolicyInputList", "session")
    def levels(key: str, kind: PolicyKind) -> list[list[Policy]]:
        raw_levels = data.get(key) or []
        if not isinstance(raw_levels, list):
            raise SimulationInputError(f"{source}: {key} must be a list of levels (root, OUs, account), "
                                       "each a list of policies")
        base = join_pointer(pointer, key)
        out: list[list[Policy]] = []
        for i, level in enumerate(raw_levels):
            level_ptr = join_pointer(base, i)
            if isinstance(level, list):
                out.append([policy(v, f"{key}.{i + 1}.{j + 1}", join_pointer(level_ptr, j), kind)
                            for j, v in enumerate(level)])
            else:  # a bare policy is a level of its own
                out.append([policy(level, f"{key}.{i + 1}", level_ptr, kind)])
        return out

    scps = levels("ServiceControlPolicyInputList", "scp")
    rcps = levels("ResourceControlPolicyInputList", "resource")
    resource_policy = None
    if data.get("ResourcePolicy") is not None:
        resource_policy = policy(data["ResourcePolicy"], "ResourcePolicy",
                                 join_pointer(pointer, "ResourcePolicy"), "resource")

    actions = _string_list(data, "ActionNames", source, required=True)
    resources = _string_list(data, "ResourceArns", source) or ["*"]
    owner = data.get("ResourceOwner")
    if owner is not None and not isinstance(owner, str):
        raise SimulationInputError(f"{source}: ResourceOwner must be an account id or "
                                   "arn:aws:iam::<account>:root")
    if isinstance(owner, str) and owner.startswith("arn:"):
        parts = owner.split(":")
        if len(parts) < 6 or not parts[4].isdigit():
            raise SimulationInputError(f"{source}: ResourceOwner {owner!r} is not arn:aws:iam::<account>:root")
        owner = parts[4]
    caller = _caller(data.get("CallerArn"), source, owner, resource_policy is not None)
    if owner is None:
        # SimulateCustomPolicy: without ResourceOwner, the caller's account owns the resources
        owner = caller.account
    context = _context(data.get("ContextEntries") or [], source)
    return Simulation(PolicySet(identity, resource_policy, boundaries[0] if boundaries else None, session, scps, rcps),
                      actions, resources, caller, owner, context, warnings)


def _named(policy: Policy, label: str) -> Policy:
    policy.name = label  # matched statements cite the API parameter, as AWS does
    return policy


def _string_list(data: dict, key: str, source: str, *, required: bool = False) -> list[str]:
    raw = data.get(key)
    if raw is None:
        if required:
            raise SimulationInputError(f"{source}: {key} is required (e.g. [\"s3:GetObject\"])")
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
        raise SimulationInputError(f"{source}: {key} must be a list of non-empty strings")
    if required and not raw:
        raise SimulationInputError(f"{source}: {key} must name at least one action")
    return list(raw)


def _caller(raw: object, source: str, owner: str | None, has_resource_policy: bool) -> Caller:
    if raw is None:
        if has_resource_policy:
            raise SimulationInputError(f"{source}: CallerArn is required with a ResourcePolicy, so its "
                                       "Principal element has someone to match (e.g. "
                                       "arn:aws:iam::111122223333:user/alice)")
        return Caller.unspecified(owner)
    if not isinstance(raw, str):
        raise SimulationInputError(f"{source}: CallerArn must be a string")
    if raw in ("*", "anonymous"):
        return Caller.anonymous()
    if raw.endswith(".amazonaws.com") and not raw.startswith("arn:"):
        return Caller.service(raw)
    try:
        return Caller.from_arn(raw)
    except ValueError as exc:
        raise SimulationInputError(f"{source}: CallerArn: {exc}") from None


def _context(entries: object, source: str) -> dict[str, list[str]]:
    if not isinstance(entries, list):
        raise SimulationInputError(f"{source}: ContextEntries must be a list of "
                                   "{ContextKeyName, ContextKeyValues, ContextKeyType}")
    out: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):
        where = f"{source}: ContextEntries[{i}]"
        if not isinstance(entry, dict) or "ContextKeyName" not in entry:
            raise SimulationInputError(f"{where} needs ContextKeyName, ContextKeyValues and ContextKeyType")
        name = entry["ContextKeyName"]
        ctype = entry.get("ContextKeyType", "string")
        values = entry.get("ContextKeyValues", [])
        if not isinstance(name, str) or not name:
            raise SimulationInputError(f"{where}: ContextKeyName must be a non-empty string")
        canonical = {t.lower(): t for t in CONTEXT_TYPES}.get(str(ctype).lower())
        if canonical is None:
            raise SimulationInputError(f"{where}: ContextKeyType {ctype!r} is not one of {', '.join(CONTEXT_TYPES)}")
        ctype = canonical
        if not isinstance(values, list):
            values = [values]
        texts = []
        for v in values:
            if isinstance(v, bool):
                texts.append("true" if v else "false")
            elif isinstance(v, (int, float, str)):
                texts.append(str(v))
            else:
                raise SimulationInputError(f"{where}: ContextKeyValues must be strings")
        if not ctype.endswith("List") and len(texts) > 1:
            raise SimulationInputError(f"{where}: {name} has type {ctype}, which takes one value; "
                                       f"use {ctype}List for several")
        base = ctype.removesuffix("List")
        for t in texts:
            problem = _value_problem(base, t)
            if problem:
                raise SimulationInputError(f"{where}: {name}: {problem}")
        if base == "boolean":
            texts = [t.lower() for t in texts]
        out[name.lower()] = texts
    return out


def _value_problem(ctype: str, text: str) -> str | None:
    if ctype == "numeric" and parse_number(text) is None:
        return f"{text!r} is not a number"
    if ctype == "boolean" and text.lower() not in ("true", "false"):
        return f"{text!r} is not true or false"
    if ctype == "ip" and parse_network(text) is None:
        return f"{text!r} is not an IP address"
    if ctype == "date" and parse_date(text) is None:
        return f"{text!r} is not a date (ISO 8601 or epoch seconds)"
    return None


def _layer_allows(evaluation: Evaluation, layer: str, levels: int) -> bool:
    """No Deny of this layer matched and every level of it had a matching Allow."""
    hits = [m for m in evaluation.matched if m.layer == layer]
    if any(m.effect == "Deny" for m in hits):
        return False
    allowed_levels = {m.scp_level or 0 for m in hits if m.effect == "Allow"}
    return len(allowed_levels) >= levels


def evaluation_result(evaluation: Evaluation, policies: PolicySet | None = None) -> dict:
    """One entry of EvaluationResults, AWS-shaped, plus ztlab's layer and pointer details."""
    request = evaluation.request
    assert request is not None
    statements = []
    # AWS lists the statements that decided; an implicit deny was decided by none
    for m in (evaluation.deciding if evaluation.decision != "implicitDeny" else []):
        item: dict[str, object] = {
            "SourcePolicyId": m.policy_name,
            "SourcePolicyType": SOURCE_POLICY_TYPES.get(m.layer, m.layer),
        }
        if m.line is not None:
            item["StartPosition"] = {"Line": m.line, "Column": m.column}
            item["EndPosition"] = {"Line": m.end_line, "Column": m.end_column}
        item.update({"Layer": m.layer, "StatementIndex": m.index, "Sid": m.sid, "Pointer": m.pointer,
                     "Effect": m.effect})
        statements.append(item)
    specific = request.resource != "*"
    result: dict[str, object] = {
        "EvalActionName": request.action,
        "EvalResourceName": request.resource,
        "EvalDecision": evaluation.decision,
        "MatchedStatements": statements,
        # API reference, EvaluationResult: MissingContextValues "is used when the resource in a
        # simulation is "*" ... If you include a list of resources, then any missing context
        # values are instead included under the ResourceSpecificResults section."
        "MissingContextValues": [] if specific else evaluation.missing_context,
    }
    if specific:
        result["ResourceSpecificResults"] = [{
            "EvalResourceName": request.resource, "EvalResourceDecision": evaluation.decision,
            "MatchedStatements": statements, "MissingContextValues": evaluation.missing_context}]
    if policies is not None:
        caller_type = request.caller.principal_type
        if policies.boundary is not None and caller_type != "Account" and request.caller.is_iam_principal:
            result["PermissionsBoundaryDecisionDetail"] = {
                "AllowedByPermissionsBoundary": _layer_allows(evaluation, "boundary", 1)}
        if policies.scps and request.caller.is_iam_principal:
            result["OrganizationsDecisionDetail"] = {
                "AllowedByOrganizations": _layer_allows(evaluation, "scp", len(policies.scps))}
    if evaluation.failed_layer and evaluation.decision != "allowed":
        result["FailedLayer"] = evaluation.failed_layer
    if evaluation.note:  # an AWS rule decided, not a statement (ztlab.policy.rules)
        result["Rule"] = evaluation.note
    return result


def simulate_document(data: object, *, source: str = "input", located: Located | None = None,
                      pointer: str = "") -> tuple[dict, list[str]]:
    """Run one simulation input; return ({"EvaluationResults": [...]}, warnings)."""
    from ztlab.policy.pattern_question import evaluate_pattern, is_pattern

    sim = load_simulation(data, source=source, located=located, pointer=pointer)
    results = []
    for request in sim.requests():
        # a bare "*" keeps the API's meaning; any other wildcard asks about every resource it matches
        if request.resource != "*" and is_pattern(request.resource):
            answer = evaluate_pattern(request, sim.policies)
            result = evaluation_result(answer.evaluation, sim.policies)
            result["EvalResourceName"] = request.resource
            for specific in result.get("ResourceSpecificResults", []):
                specific["EvalResourceName"] = request.resource
            result["ExampleResource"] = answer.example
            result["MatchingResourcePatterns"] = answer.patterns
        else:
            result = evaluation_result(evaluate(request, sim.policies), sim.policies)
        results.append(result)
    return {"EvaluationResults": results}, sim.warnings


__all__ = ["Simulation", "SimulationInputError", "load_simulation", "simulate_document", "evaluation_result"]
