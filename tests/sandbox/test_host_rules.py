"""One spelling of every host before any allow/refuse decision: the allow-list and the "real AWS is
always refused" rule cannot be walked around by writing a host another way."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import run_ztlab
from ztlab.sandbox import EndpointRefused, SandboxClients, check_endpoint

AWS_SPELLINGS = [
    "https://s3.amazonaws.com.",          # trailing dot (the reported bypass)
    "https://S3.AmazonAWS.com",           # case
    "https://s3.amazonaws.com..",
    "https://s3.amazonaws.com\u3002",     # ideographic full stop
    "https://ｓ３.ａｍａｚｏｎａｗｓ.ｃｏｍ",  # full-width letters (IDNA maps them)
    "https://sts.amazonaws.com.cn.",
]


@pytest.mark.parametrize("url", AWS_SPELLINGS)
def test_real_aws_is_refused_however_it_is_spelled_even_when_allowed(url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZTLAB_ALLOWED_HOSTS", "s3.amazonaws.com.,S3.AMAZONAWS.COM,sts.amazonaws.com.cn")
    with pytest.raises(EndpointRefused, match="real AWS"):
        check_endpoint(url)


def test_the_reported_audit_bypass_is_refused_with_exit_2():
    import os

    env = dict(os.environ, ZTLAB_ALLOWED_HOSTS="s3.amazonaws.com.")
    result = run_ztlab("audit", "--endpoint-url", "https://s3.amazonaws.com.", env=env)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "real AWS" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url, canonical", [
    ("http://0x7f.1:4566", "http://127.0.0.1:4566"),
    ("http://2130706433:4566", "http://127.0.0.1:4566"),
    ("http://0177.0.0.1:4566", "http://127.0.0.1:4566"),
    ("http://127.1:4566", "http://127.0.0.1:4566"),
    ("http://[::ffff:127.0.0.1]:4566", "http://127.0.0.1:4566"),
    ("http://LOCALHOST.:4566", "http://localhost:4566"),
    ("http://[::1]:4566", "http://[::1]:4566"),
])
def test_loopback_in_any_spelling_is_accepted_and_connected_to_as_checked(url: str, canonical: str):
    # The URL handed on is the checked spelling, so no resolver reads the odd form differently.
    assert check_endpoint(url) == canonical


@pytest.mark.parametrize("url", [
    "http://0x0a.0.0.1:4566",           # 10.0.0.1 in hex
    "http://167772161:4566",            # 10.0.0.1 as one number
    "http://012.0.0.1:4566",            # 10.0.0.1 in octal
    "http://[::ffff:10.0.0.1]:4566",    # 10.0.0.1 mapped into IPv6
    "http://[::ffff:a00:1]:4566",
    "http://169.254.169.254:80",        # instance metadata
    "http://localhost.evil.example:4566",
])
def test_remote_addresses_in_any_spelling_are_refused(url: str):
    with pytest.raises(EndpointRefused):
        SandboxClients(url)


def test_an_allowed_host_matches_in_any_spelling(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ZTLAB_ALLOWED_HOSTS", "LocalStack.Lab.Example.,Bücher.example")
    assert check_endpoint("http://localstack.lab.example:4566") == "http://localstack.lab.example:4566"
    assert check_endpoint("http://LOCALSTACK.lab.example.:4566") == "http://localstack.lab.example:4566"
    assert check_endpoint("http://xn--bcher-kva.example:4566") == "http://xn--bcher-kva.example:4566"
    with pytest.raises(EndpointRefused):
        check_endpoint("http://other.lab.example:4566")
