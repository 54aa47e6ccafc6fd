"""Sandbox AWS accounts (moto embedded, LocalStack optional) and the only clients that may reach them."""

from ztlab.sandbox.session import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    EndpointRefused,
    SandboxClients,
    SandboxError,
    check_endpoint,
    learner_environment,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "EndpointRefused",
    "SandboxClients",
    "SandboxError",
    "check_endpoint",
    "learner_environment",
]
