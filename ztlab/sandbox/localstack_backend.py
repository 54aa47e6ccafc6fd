"""LocalStack as a back end: find it the way LocalStack users expect, check its health, and know
which services it lacks (so a lab can say "needs moto" instead of failing obscurely)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ztlab.sandbox.http import probe_json
from ztlab.sandbox.session import EndpointRefused, SandboxError, check_endpoint

HEALTH_PATH = "/_localstack/health"
DEFAULT_LOCALSTACK_HOST = "localhost:4566"

# The services ztlab's labs and checks read. A LocalStack that does not list one of them as
# running/available lacks it: the community runtime answers 501 "not included in your license
# plan" for CloudTrail, GuardDuty, RDS, Security Hub, Organizations, Cognito and others.
SERVICES_USED = frozenset({
    "iam", "sts", "s3", "s3control", "ec2", "kms", "rds", "cloudtrail", "guardduty", "securityhub",
    "config", "cloudwatch", "logs", "secretsmanager", "cognito-idp", "organizations", "sns", "events",
    "acm", "wafv2", "apigatewayv2", "ssm",
})
USABLE_STATES = frozenset({"available", "running", "starting", "initialized"})


@dataclass(frozen=True)
class LocalStackHealth:
    endpoint_url: str
    version: str | None
    edition: str | None
    services: dict[str, str] = field(default_factory=dict)

    @property
    def missing_services(self) -> frozenset[str]:
        return frozenset(s for s in SERVICES_USED if self.services.get(s) not in USABLE_STATES)


@dataclass(frozen=True)
class ResolvedEndpoint:
    url: str
    source: str  # where it came from, for messages: "--endpoint-url", "AWS_ENDPOINT_URL", ...

    @property
    def explicit(self) -> bool:
        return self.source != "default"


def resolve_localstack_endpoint(explicit: str | None = None, configured: str | None = None) -> ResolvedEndpoint:
    """localstack-client's order (AWS_ENDPOINT_URL, then the configured host, then LOCALSTACK_HOST,
    then localhost:4566), except that a URL typed on the command line wins over everything."""
    if explicit:
        return ResolvedEndpoint(explicit.rstrip("/"), "--endpoint-url")
    env_url = os.environ.get("AWS_ENDPOINT_URL", "").strip()
    if env_url:
        return ResolvedEndpoint(env_url.rstrip("/"), "AWS_ENDPOINT_URL")
    if configured:
        return ResolvedEndpoint(configured.rstrip("/"), "settings localstack_endpoint")
    from localstack_client.config import get_service_endpoint

    url = get_service_endpoint("sts")
    if url is None:  # pragma: no cover - sts is in localstack-client's list
        url = "http://" + DEFAULT_LOCALSTACK_HOST
    source = "LOCALSTACK_HOST" if os.environ.get("LOCALSTACK_HOST", "").strip() else "default"
    return ResolvedEndpoint(url.rstrip("/"), source)


def localstack_health(endpoint_url: str, timeout: float = 2.0) -> LocalStackHealth | None:
    body = probe_json(endpoint_url.rstrip("/") + HEALTH_PATH, timeout=timeout)
    if not isinstance(body, dict) or not isinstance(body.get("services"), dict):
        return None
    return LocalStackHealth(
        endpoint_url=endpoint_url,
        version=body.get("version"),
        edition=body.get("edition"),
        services={str(k): str(v) for k, v in body["services"].items()},
    )


def connect_localstack(endpoint: ResolvedEndpoint, extra_hosts: set[str] | None = None) -> LocalStackHealth:
    """Health-check a running LocalStack; a clear SandboxError if it is refused or not there."""
    try:
        check_endpoint(endpoint.url, extra_hosts)
    except EndpointRefused as exc:
        raise EndpointRefused(f"{exc} (LocalStack endpoint from {endpoint.source})") from None
    health = localstack_health(endpoint.url)
    if health is None:
        raise SandboxError(
            f"no LocalStack answers at {endpoint.url} (from {endpoint.source}): {HEALTH_PATH} did not respond. "
            "Start LocalStack, or let ztlab run it: bash scripts/install-localstack.sh, then "
            "ztlab sandbox start --backend localstack"
        )
    return health


def describe_missing(missing: set[str] | frozenset[str]) -> str:
    if not missing:
        return ""
    return (
        "not available in this LocalStack: " + ", ".join(sorted(missing))
        + ". Labs that need them say so and are skipped here; use the moto back end (the default) for them."
    )
