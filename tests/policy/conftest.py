"""A real moto server on 127.0.0.1 for the policy commands that read a live account."""

from __future__ import annotations

import pytest

from tests.audit.conftest import moto_endpoint, reset  # noqa: F401  (the one moto server fixture)


@pytest.fixture
def account(moto_endpoint: str):  # noqa: F811
    """Clients on an emptied account: each test builds exactly what it asks about."""
    from ztlab.sandbox import SandboxClients

    reset(moto_endpoint)
    return SandboxClients(moto_endpoint, "us-east-1")
