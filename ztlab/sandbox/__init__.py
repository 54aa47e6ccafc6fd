"""Sandbox AWS accounts (moto embedded, LocalStack optional) and the only clients that may reach them.

    from ztlab.sandbox import ensure_running, current_sandbox, stop_sandbox, reset_sandbox, connect
    info = ensure_running()        # SandboxInfo: endpoint_url, region, backend, account_id, pid, ...
    s3 = info.clients().client("s3")
"""

from typing import TYPE_CHECKING, Any

# Exports resolve on first use: the background server imports this package too, and should not
# pay for the manager, settings and pydantic it never needs.
_EXPORTS = {
    "SandboxInfo": "manager",
    "connect": "manager",
    "current_sandbox": "manager",
    "describe_missing": "manager",
    "ensure_running": "manager",
    "reset_sandbox": "manager",
    "stop_sandbox": "manager",
    "DEFAULT_ACCOUNT_ID": "session",
    "DEFAULT_REGION": "session",
    "EndpointRefused": "session",
    "SandboxClients": "session",
    "SandboxError": "session",
    "check_endpoint": "session",
    "learner_environment": "session",
}

if TYPE_CHECKING:
    from ztlab.sandbox.manager import (
        SandboxInfo,
        connect,
        current_sandbox,
        describe_missing,
        ensure_running,
        reset_sandbox,
        stop_sandbox,
    )
    from ztlab.sandbox.session import (
        DEFAULT_ACCOUNT_ID,
        DEFAULT_REGION,
        EndpointRefused,
        SandboxClients,
        SandboxError,
        check_endpoint,
        learner_environment,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ztlab.sandbox' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"ztlab.sandbox.{module}"), name)
    globals()[name] = value
    return value


__all__ = sorted(_EXPORTS)
