"""boto3 clients that can only ever talk to the sandbox.

ztlab practises what it teaches: a client made here is pinned to a loopback (or explicitly
configured LocalStack) endpoint, signs with static fake credentials, and never reads the user's
profiles, config files, environment keys or instance metadata. Anything else is refused before a
single byte leaves the machine.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any
from urllib.parse import urlparse

FAKE_ACCESS_KEY_ID = "AKIAZTLABSANDBOX0000"
FAKE_SECRET_ACCESS_KEY = "ztlab-sandbox-fake-secret-not-a-real-key"
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"


class SandboxError(Exception):
    """A sandbox problem the user can act on; the message says what and how to fix it."""


class EndpointRefused(SandboxError):
    pass


def allowed_extra_hosts() -> set[str]:
    """Hosts besides loopback that the user configured on purpose for LocalStack."""
    hosts = {h.strip().lower() for h in os.environ.get("ZTLAB_ALLOWED_HOSTS", "").split(",") if h.strip()}
    return hosts


# Real AWS (and its China/GovCloud partitions) is never a sandbox, whatever the user allowed.
AWS_DOMAINS = ("amazonaws.com", "amazonaws.com.cn", "aws", "amazon.com", "api.aws", "on.aws")


def _is_aws_domain(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in AWS_DOMAINS)


def check_endpoint(url: str, extra_hosts: set[str] | None = None) -> str:
    """Return the URL if it points at loopback (or an allowed host); raise EndpointRefused otherwise."""
    try:
        parsed = urlparse(url)
        host = (parsed.hostname or "").lower()
    except ValueError:
        host, parsed = "", None
    if parsed is None or parsed.scheme not in ("http", "https") or not host:
        raise EndpointRefused(f"'{url}' is not an http(s) endpoint URL; expected e.g. http://127.0.0.1:4566")
    if _is_aws_domain(host):
        raise EndpointRefused(
            f"refusing endpoint '{url}': that is real AWS. ztlab only talks to a sandbox on this machine (127.0.0.1, ::1, localhost) "
            "(start one with: ztlab sandbox start)"
        )
    if host == "localhost" or host in (extra_hosts if extra_hosts is not None else allowed_extra_hosts()):
        return url
    try:
        if ipaddress.ip_address(host).is_loopback:
            return url
    except ValueError:
        pass
    raise EndpointRefused(
        f"refusing endpoint '{url}': ztlab only talks to a sandbox on this machine (127.0.0.1, ::1, localhost). "
        "If this is your own LocalStack host, allow it with ZTLAB_ALLOWED_HOSTS=" + host
    )


_LOADER: Any = None


def _shared_loader() -> Any:
    """One botocore data loader for every sandbox session of this process.

    A loader caches the parsed service models; a fresh one per session re-parses megabytes of JSON
    for every check, and `json.loads` holds the GIL throughout, so the app's interface stalls for
    hundreds of milliseconds while a check runs in a worker thread. The models are read-only.
    """
    global _LOADER
    if _LOADER is None:
        from botocore.loaders import create_loader

        _LOADER = create_loader()
    return _LOADER


def _isolated_botocore_session() -> Any:
    """A botocore session blind to ~/.aws, AWS_PROFILE, env keys, AWS_ENDPOINT_URL and instance metadata.

    Every botocore setting normally falls back to an environment variable and the config file;
    we drop both sources so nothing of the user's real AWS set-up can steer a sandbox client.
    """
    import botocore.session
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES as DEFAULTS

    blind = {name: (None, None, default, conv) for name, (_, _, default, conv) in DEFAULTS.items()}
    blind["config_file"] = (None, None, os.devnull, None)
    blind["credentials_file"] = (None, None, os.devnull, None)
    session = botocore.session.Session(session_vars=blind)
    session.register_component("data_loader", _shared_loader())
    # No credential chain at all: only the static fake keys handed to each client.
    session.get_component("credential_provider").providers = []
    return session


class SandboxClients:
    """Makes boto3 clients for one sandbox endpoint; the one way ztlab talks to an account."""

    def __init__(self, endpoint_url: str, region: str = DEFAULT_REGION, extra_hosts: set[str] | None = None):
        self.endpoint_url = check_endpoint(endpoint_url, extra_hosts)
        self.region = region
        self._session = None
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            import boto3
            from botocore.config import Config

            if self._session is None:
                self._session = boto3.Session(botocore_session=_isolated_botocore_session(), region_name=self.region)
            # s3control needs the account id in the host for virtual addressing; path style avoids DNS.
            config = Config(
                retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                s3={"addressing_style": "path"},
                # An empty mapping (not None) stops botocore from taking HTTP(S)_PROXY from the
                # environment, which would carry sandbox traffic off this machine to the proxy.
                proxies={},
            )
            self._clients[service] = self._session.client(
                service,
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id=FAKE_ACCESS_KEY_ID,
                aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
                aws_session_token=None,
                config=config,
            )
        return self._clients[service]

    __call__ = client


def learner_environment(endpoint_url: str, region: str = DEFAULT_REGION) -> dict[str, str | None]:
    """Variables for the learner's own terminal (`aws` CLI, boto3). None means 'unset this'.

    Every other AWS_* variable of the current environment is unset too: a service-specific
    `AWS_ENDPOINT_URL_S3`, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, a role or container
    credentials setting would each send some calls to real AWS.
    """
    env: dict[str, str | None] = {name: None for name in sorted(os.environ) if name.upper().startswith("AWS_")}
    env.update({
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_ACCESS_KEY,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_SESSION_TOKEN": None,
        "AWS_SECURITY_TOKEN": None,
        "AWS_PROFILE": None,
        "AWS_DEFAULT_PROFILE": None,
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": None,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        # A proxy from the user's environment would carry sandbox calls off this machine.
        "NO_PROXY": "127.0.0.1,localhost,::1",
        "no_proxy": "127.0.0.1,localhost,::1",
    })
    return env
