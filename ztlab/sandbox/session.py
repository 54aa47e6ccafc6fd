"""boto3 clients that can only ever talk to the sandbox.

ztlab practises what it teaches: a client made here is pinned to a loopback (or explicitly
configured LocalStack) endpoint, signs with static fake credentials, and never reads the user's
profiles, config files, environment keys or instance metadata. Anything else is refused before a
single byte leaves the machine.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
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
    """Hosts besides loopback that the user configured on purpose for LocalStack (canonical form)."""
    from ztlab.sandbox.hosts import canonical_hosts

    return canonical_hosts(h for h in os.environ.get("ZTLAB_ALLOWED_HOSTS", "").split(",") if h.strip())


def check_endpoint(url: str, extra_hosts: set[str] | None = None) -> str:
    """Return the URL (its host in canonical form, see hosts.py) if it points at loopback or an
    allowed host; raise EndpointRefused otherwise. Real AWS is refused even when allowed."""
    from ztlab.sandbox.hosts import canonical_host, canonical_hosts, is_aws_domain, is_loopback

    try:
        parsed = urlparse(url)
        raw_host = parsed.hostname or ""
        host = canonical_host(raw_host) if raw_host else ""
    except ValueError:
        host, parsed = "", None
    if parsed is None or parsed.scheme not in ("http", "https") or not host:
        raise EndpointRefused(f"'{url}' is not an http(s) endpoint URL; expected e.g. http://127.0.0.1:4566")
    if is_aws_domain(host):
        raise EndpointRefused(
            f"refusing endpoint '{url}': that is real AWS. ztlab only talks to a sandbox on this machine (127.0.0.1, ::1, localhost) "
            "(start one with: ztlab sandbox start)"
        )
    allowed = canonical_hosts(extra_hosts) if extra_hosts is not None else allowed_extra_hosts()
    if is_loopback(host) or host in allowed:
        return _with_host(url, parsed, host)
    raise EndpointRefused(
        f"refusing endpoint '{url}': ztlab only talks to a sandbox on this machine (127.0.0.1, ::1, localhost). "
        "If this is your own LocalStack host, allow it with ZTLAB_ALLOWED_HOSTS=" + host
    )


def _with_host(url: str, parsed, host: str) -> str:
    """The URL with its host spelled canonically, so what was checked is exactly what gets connected to."""
    if parsed.hostname == host:
        return url
    shown = f"[{host}]" if ":" in host else host
    netloc = shown + (f":{parsed.port}" if parsed.port is not None else "")
    if "@" in parsed.netloc:
        netloc = parsed.netloc.rsplit("@", 1)[0] + "@" + netloc
    return parsed._replace(netloc=netloc).geturl()


_SHARED_SESSION: Any = None
# boto3 sessions are not thread-safe while they make clients; the snapshot reader makes them from threads.
_SESSION_LOCK = threading.Lock()


def _shared_session() -> Any:
    """One isolated boto3 session per process: loading a service model costs a tenth of a second or
    more, and a long-lived process (the app, a benchmark) should pay it once, not once per check."""
    global _SHARED_SESSION
    if _SHARED_SESSION is None:
        import boto3

        _SHARED_SESSION = boto3.Session(botocore_session=_isolated_botocore_session())
    return _SHARED_SESSION


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
    # No credential chain at all: only the static fake keys handed to each client.
    session.get_component("credential_provider").providers = []
    return session


class SandboxClients:
    """Makes boto3 clients for one sandbox endpoint; the one way ztlab talks to an account."""

    def __init__(self, endpoint_url: str, region: str = DEFAULT_REGION, extra_hosts: set[str] | None = None):
        self.endpoint_url = check_endpoint(endpoint_url, extra_hosts)
        self.region = region
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service in self._clients:
            return self._clients[service]
        from botocore.config import Config

        with _SESSION_LOCK:
            if service in self._clients:
                return self._clients[service]
            # s3control needs the account id in the host for virtual addressing; path style avoids DNS.
            config = Config(
                retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                s3={"addressing_style": "path"},
                # No account-id host prefix (s3control): it would turn the endpoint into a DNS name.
                inject_host_prefix=False,
                # An empty mapping (not None) stops botocore from taking HTTP(S)_PROXY from the
                # environment, which would carry sandbox traffic off this machine to the proxy.
                proxies={},
            )
            self._clients[service] = _shared_session().client(
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


CLI_PLUGIN_DIR = Path(__file__).resolve().parent / "aws_cli"
CLI_PLUGIN_MODULE = "ztlab_sandbox_cli"


def write_cli_config(folder: Path, endpoint_url: str, region: str = DEFAULT_REGION) -> Path:
    """The aws CLI config file for a sandbox: its endpoint and region, and the plugin that pins
    every command to that endpoint (see aws_cli/ztlab_sandbox_cli.py for why variables are not enough).
    No secret in it; private anyway, like everything in ztlab's folders."""
    import hashlib

    from ztlab.locations import write_private

    endpoint_url = check_endpoint(endpoint_url)
    name = "aws-config-" + hashlib.sha256(endpoint_url.encode()).hexdigest()[:10]
    text = (
        f"# Written by ztlab for the sandbox at {endpoint_url}: every aws CLI command goes there.\n"
        "[default]\n"
        f"region = {region}\n"
        f"endpoint_url = {endpoint_url}\n"
        # s3control and a few others put the account id in front of the host name; against a
        # loopback endpoint that is a DNS query for `123456789012.127.0.0.1`, so never do it.
        "disable_host_prefix_injection = true\n"
        "[plugins]\n"
        f"ztlab_sandbox = {CLI_PLUGIN_MODULE}\n"
    )
    path = Path(folder) / name
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_private(path, text)
    return path


def learner_environment(endpoint_url: str, region: str = DEFAULT_REGION, config_dir: Path | None = None) -> dict[str, str | None]:
    """Variables for the learner's own terminal (`aws` CLI, boto3). None means 'unset this'.

    Every other AWS_* variable of the current environment is unset too: a service-specific
    `AWS_ENDPOINT_URL_S3`, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`, a role or container
    credentials setting would each send some calls to real AWS. The aws CLI also gets a config
    file (written into `config_dir`, default the sandbox folder) whose plugin pins every command
    to the sandbox, and PYTHONPATH gains the plugin's folder so the CLI can load it.
    """
    if config_dir is None:
        from ztlab.locations import locations

        config_dir = locations().sandbox_dir
    config_file = write_cli_config(config_dir, endpoint_url, region)
    python_path = os.pathsep.join([str(CLI_PLUGIN_DIR), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                                                          if p and p != str(CLI_PLUGIN_DIR)]])
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
        "AWS_CONFIG_FILE": str(config_file),
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        "AWS_PAGER": "",
        "PYTHONPATH": python_path,
        # A proxy from the user's environment would carry sandbox calls off this machine.
        "NO_PROXY": "127.0.0.1,localhost,::1",
        "no_proxy": "127.0.0.1,localhost,::1",
    })
    return env
