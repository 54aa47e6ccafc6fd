"""Callers and contexts a policy question must also try: the ones the policy itself names.

A Deny that exempts a principal (NotPrincipal, aws:PrincipalArn) or a network (aws:SourceIp) is only
caught when a probe request comes from that principal or network, so checks add them to their
standard callers and contexts.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Iterable

_ARN = re.compile(r"^arn:aws[a-z-]*:(iam|sts)::(\d{12}):(root|user/.+|role/.+|assumed-role/.+)$")
_ACCOUNT = re.compile(r"^\d{12}$")
_TLS_KEY = "aws:securetransport"


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _statements(document: Any) -> list[dict]:
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict)]


def named_callers(document: Any) -> list[str]:
    """Principal ARNs and account ids the policy mentions anywhere: the candidates for an exemption."""
    found: list[str] = []
    for text in _strings(document):
        text = text.strip()
        match = _ARN.match(text)
        if match:
            service, account, resource = match.groups()
            if resource.startswith("role/"):
                text = f"arn:aws:sts::{account}:assumed-role/{resource.rsplit('/', 1)[-1]}/ztlab-probe"
            found.append(text)
        elif _ACCOUNT.match(text):
            found.append(f"arn:aws:iam::{text}:root")
    return list(dict.fromkeys(found))


def condition_exemptions(document: Any) -> list[dict[str, str]]:
    """One extra context per (key, value) the policy's conditions name, other than SecureTransport."""
    contexts: list[dict[str, str]] = []
    for statement in _statements(document):
        condition = statement.get("Condition")
        if not isinstance(condition, dict):
            continue
        for block in condition.values():
            if not isinstance(block, dict):
                continue
            for key, values in block.items():
                if str(key).lower() == _TLS_KEY:
                    continue
                for value in _strings(values):
                    if str(key).lower() == "aws:sourceip":
                        try:
                            value = str(ipaddress.ip_network(value, strict=False).network_address)
                        except ValueError:
                            continue
                    contexts.append({key: value})
    return contexts
