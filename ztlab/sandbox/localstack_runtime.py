"""Run the LocalStack community runtime on the host (no Docker, no auth token) from its own venv.

localstack-core pins an old boto3 and ships a forked `moto`, so it never goes into ztlab's own
environment: `scripts/install-localstack.sh` builds a separate virtualenv from a committed pin
file, and this module starts `python -m localstack.runtime.main` from there, bound to 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from ztlab.sandbox.localstack_backend import LocalStackHealth, localstack_health
from ztlab.sandbox.process import remember_child, terminate
from ztlab.sandbox.session import SandboxError

START_TIMEOUT = 90.0
# Community services ztlab can use; the rest would only cost start-up time and memory.
RUNTIME_SERVICES = "iam,sts,s3,s3control,ec2,kms,secretsmanager,sns,sqs,events,logs,cloudwatch,config,ssm,acm"
INSTALL_HINT = "install it with: bash scripts/install-localstack.sh (about 30 s, 500 MB; needs Python 3.11)"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def runtime_installed(venv: Path) -> bool:
    return venv_python(venv).exists() and any((venv / "lib").glob("python3*/site-packages/localstack/runtime/main.py"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def runtime_environment(port: int, volume_dir: Path) -> dict[str, str]:
    """A minimal environment: nothing of the user's AWS set-up, nothing of ztlab's Python path."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({
        "GATEWAY_LISTEN": f"127.0.0.1:{port}",
        # The default server binds 0.0.0.0 whatever GATEWAY_LISTEN says; hypercorn honours it.
        "GATEWAY_SERVER": "hypercorn",
        "SERVICES": RUNTIME_SERVICES,
        "DISABLE_EVENTS": "1",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "DNS_ADDRESS": "0",
        "LOCALSTACK_VOLUME_DIR": str(volume_dir),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def launch_localstack(venv: Path, volume_dir: Path, log_file: Path, port: int | None = None) -> tuple[subprocess.Popen, int, LocalStackHealth]:
    """Start the runtime and wait until its health endpoint answers."""
    if not runtime_installed(venv):
        raise SandboxError(f"the LocalStack runtime is not installed in {venv}; {INSTALL_HINT}")
    chosen = port or free_port()
    volume_dir.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(
            [str(venv_python(venv)), "-m", "localstack.runtime.main"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=runtime_environment(chosen, volume_dir),
            cwd=str(volume_dir), start_new_session=True, close_fds=True,
        )
    remember_child(proc)
    endpoint = f"http://127.0.0.1:{chosen}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SandboxError(f"LocalStack exited during start-up (exit code {proc.returncode}); see {log_file}")
        health = localstack_health(endpoint, timeout=1.0)
        if health is not None:
            return proc, chosen, health
        time.sleep(0.05)
    terminate(proc.pid, timeout=5)
    raise SandboxError(f"LocalStack did not become ready within {START_TIMEOUT:.0f} s; see {log_file}")
