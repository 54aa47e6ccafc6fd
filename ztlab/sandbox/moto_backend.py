"""The default back end: moto's server in a background process on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import ztlab
from ztlab.sandbox.gate import HEALTH_PATH, NONCE_PARAM, control_headers, proof
from ztlab.sandbox.http import probe_json, request_json
from ztlab.sandbox.process import remember_child
from ztlab.sandbox.session import DEFAULT_ACCOUNT_ID, SandboxError
from ztlab.sandbox.state import SandboxState, read_state

START_TIMEOUT = 30.0
EXIT_PORT_BUSY = 3


def child_environment() -> dict[str, str]:
    """The server's environment: the user's, minus every AWS setting (the emulator needs none and
    must not see real keys), with this very ztlab first on the path so the child runs our code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_", "BOTO_"))}
    package_root = str(Path(ztlab.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([package_root, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    # moto reads these; pin them so nothing from outside changes the account or region.
    env["MOTO_ACCOUNT_ID"] = DEFAULT_ACCOUNT_ID
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def warm_up_wanted() -> bool:
    """`ZTLAB_SANDBOX_WARM_UP=0` skips the background warm-up (test suites starting many short-lived
    servers on few cores; the warm-up costs a few CPU seconds)."""
    return os.environ.get("ZTLAB_SANDBOX_WARM_UP", "1").strip().lower() not in ("0", "false", "no")


def launch_moto(state_file: Path, log_file: Path, idle_seconds: float, region: str, port: int = 0) -> SandboxState:
    """Start the server detached and return its state once it answers."""
    token = secrets.token_hex(16)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "ztlab.sandbox.moto_server_main",
        "--port", str(port), "--state-file", str(state_file),
        "--idle-seconds", str(idle_seconds), "--log-file", str(log_file), "--region", region,
        "--account-id", DEFAULT_ACCOUNT_ID,
    ]
    if not warm_up_wanted():
        command.append("--no-warm-up")
    from ztlab.locations import private_dir, private_file

    private_dir(state_file.parent)
    private_file(log_file)
    with open(log_file, "ab") as log:
        # The token goes through a pipe, not argv: any local user can read a command line with `ps`.
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=log, stderr=log, env=child_environment(),
            cwd=str(state_file.parent), start_new_session=True, close_fds=True,
        )
    remember_child(proc)
    try:
        proc.stdin.write(token.encode() + b"\n")
        proc.stdin.close()
    except OSError:
        pass  # it died at once; the poll below reports how
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            if code == EXIT_PORT_BUSY:
                raise SandboxError(f"port {port} on 127.0.0.1 is already in use; pick another with --port, or leave it out to use any free port")
            raise SandboxError(f"the moto sandbox exited during start-up (exit code {code}); see {log_file}\n{_tail(log_file)}")
        state = read_state(state_file)
        if state is not None and state.token == token:
            return state
        time.sleep(0.005)
    from ztlab.sandbox.process import terminate

    terminate(proc.pid, timeout=2)
    raise SandboxError(f"the moto sandbox did not become ready within {START_TIMEOUT:.0f} s; see {log_file}")


def moto_health(state: SandboxState, timeout: float = 2.0) -> dict | None:
    """The server's identity if it proves it holds this state's token, else None. The probe sends a
    fresh nonce, never the token: whatever now listens on that port learns nothing from it."""
    if not state.token:
        return None
    nonce = secrets.token_hex(16)
    body = probe_json(f"{state.endpoint_url.rstrip('/')}{HEALTH_PATH}?{NONCE_PARAM}={nonce}", timeout=timeout)
    if isinstance(body, dict) and body.get("backend") == "moto" and isinstance(body.get("proof"), str):
        import hmac

        if hmac.compare_digest(body["proof"], proof(state.token, nonce)):
            return body
    return None


def reset_moto(sandbox) -> None:
    """Empty a moto server; `sandbox` is a SandboxInfo/EphemeralSandbox (or an endpoint URL)."""
    endpoint_url = sandbox if isinstance(sandbox, str) else sandbox.endpoint_url
    try:
        status, _ = request_json(endpoint_url.rstrip("/") + "/moto-api/reset", method="POST", timeout=30, data=b"",
                                 headers=control_headers(sandbox))
    except OSError as exc:
        raise SandboxError(f"cannot reset the sandbox at {endpoint_url}: {exc}") from exc
    if status != 200:
        raise SandboxError(f"the sandbox at {endpoint_url} refused the reset (HTTP {status})")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
