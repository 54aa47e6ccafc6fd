"""Policy documents read from a snapshot, parsed once, and the one error for a document we cannot use."""

from __future__ import annotations

import json
from typing import Any

from ztlab.policy import Policy, PolicyError, parse_policy
from ztlab.snapshot import AccountSnapshot


class AccessReadError(Exception):
    """A policy AWS would consult cannot be used: unparseable, unreadable, or missing from the snapshot.

    The message names the policy (or the group, or the SCP) and why. Every caller treats it the same
    way: the question cannot be answered (a check's UNKNOWN, an objective's FAIL), never "no policy".
    """


# Another account's own policies are never in our snapshot, and a member account's administrator
# holds everything on its side: the question is what OUR policies let through, so their side allows.
ALLOW_EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

_PARSED: dict[tuple[str, str], Policy] = {}
_PARSED_BY_ID: dict[tuple[int, str, str | None], tuple[Any, Policy]] = {}


def load_policy(document: Any, name: str, kind: str | None = None) -> Policy:
    """Parse (and memoise) a document from the snapshot: dict or JSON text. Raises AccessReadError.

    `kind` ("identity", "resource", "boundary", "scp", "rcp") adds the rules AWS applies where the
    policy is attached. Snapshot documents live as long as the snapshot, so dicts are memoised by
    identity: a check run over a large account parses each document once, not once per question.
    """
    if isinstance(document, dict):
        memo = _PARSED_BY_ID.get((id(document), name, kind))
        if memo is not None and memo[0] is document:
            return memo[1]
        if len(_PARSED_BY_ID) > 8192:
            _PARSED_BY_ID.clear()
        parsed = load_policy(json.dumps(document), name, kind)
        _PARSED_BY_ID[(id(document), name, kind)] = (document, parsed)
        return parsed
    if document is None:
        raise AccessReadError(f"{name} has no document")
    if not isinstance(document, (str, bytes)):
        document = json.dumps(document)  # a list or scalar: let the parser say why it is not a policy
    key = (f"{kind}:{name}", document)
    if key not in _PARSED:
        try:
            parsed = parse_policy(document, name=name, kind=kind)  # type: ignore[arg-type]
        except PolicyError as exc:
            raise AccessReadError(f"{name} is not a valid policy: {exc}") from None
        if len(_PARSED) > 4096:
            _PARSED.clear()
        _PARSED[key] = parsed
    return _PARSED[key]


def allow_everything(name: str) -> Policy:
    """The identity side of a caller whose own policies we cannot see (or that hold everything),
    named for the evidence: "the outsider's own permissions"."""
    return load_policy(ALLOW_EVERYTHING, name)


def managed_policy(snapshot: AccountSnapshot, arn: str, kind: str = "identity") -> Policy:
    """The default version of a managed policy. Raises AccessReadError when it is not in the
    snapshot or its document could not be read: a missing document is not an empty one."""
    policy = snapshot.iam.policy(arn)
    if policy is None:
        raise AccessReadError(f"managed policy {arn} is not in the snapshot")
    why = policy.errors.get("document")
    if why or policy.document is None:
        raise AccessReadError(f"managed policy {arn} could not be read: {why or 'no default version'}")
    return load_policy(policy.document, f"managed policy {policy.name}", kind)
