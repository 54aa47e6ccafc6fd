"""AWS service names (as boto3 and the sandbox spell them) -> snapshot sections."""

from __future__ import annotations

from collections.abc import Iterable

_SECTION_OF = {"s3control": "s3", "logs": "cloudwatch", "cognito-idp": "cognito", "sts": "iam", "events": None}


def section_of(service: str) -> str | None:
    """The snapshot section holding a service's state; None for services the snapshot does not read."""
    return _SECTION_OF.get(service, service)


def services_of(sections: Iterable[str]) -> set[str]:
    """The services whose state these sections hold (the clients that read them)."""
    sections = set(sections)
    named = {service for service, section in _SECTION_OF.items() if section in sections}
    return named | (sections - {"cognito"})  # "cognito" is the section, "cognito-idp" the service


def unavailable_sections(services: Iterable[str], reason: str) -> dict[str, str]:
    """Sections to leave unread, each with the reason, for services a back end lacks."""
    return {section: f"{service}: {reason}" for service in services if (section := section_of(service))}
