"""The bundled aws CLI reaches the sandbox for every service a lab or briefing uses, and nothing else.

Each run happens inside a fresh network namespace (`unshare -n`, only loopback up), so even a
mistake could not reach the internet, and under `strace -f -e trace=connect`, so a mistake is
seen: every connect() must go to loopback, none to a DNS server. Covers the three ways a learner's
commands get the sandbox: `eval "$(ztlab sandbox env)"`, `ztlab sandbox shell`, and the scripts of
`ztlab lab grade --apply`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.server

# A harmless call for each service; a service a lab starts using without an entry here fails the test.
READ_CALLS = {
    "accessanalyzer": "list-analyzers",
    "acm": "list-certificates",
    "cloudtrail": "describe-trails",
    "cloudwatch": "describe-alarms",
    "cognito-idp": "list-user-pools --max-results 5",
    "configservice": "describe-configuration-recorders",
    "ec2": "describe-security-groups",
    "elbv2": "describe-load-balancers",
    "guardduty": "list-detectors",
    "iam": "list-users",
    "kms": "list-keys",
    "logs": "describe-log-groups",
    "organizations": "list-roots",
    "rds": "describe-db-instances",
    "s3": "ls",
    "s3api": "list-buckets",
    "s3control": "get-public-access-block --account-id 123456789012",
    "secretsmanager": "list-secrets",
    "securityhub": "describe-hub",
    "sns": "list-topics",
    "sqs": "list-queues",
    "sso": "list-accounts --access-token not-a-real-token",
    "sts": "get-caller-identity",
}
# Services whose customisations in awscli v1 pinned real AWS endpoints (see the CLI plugin); always tried.
ALWAYS = {"rds", "sqs", "s3control", "sns"}
CONTENT_GLOBS = ("labs/**/*.yaml", "labs/**/*.md", "labs/**/*.sh", "lessons/**/*.yaml", "lessons/**/*.md")
# aws CLI words that follow "aws " in prose but are not services
NOT_SERVICES = {"cli", "account", "console", "config", "configure", "help", "managed", "organization", "sdk"}


def services_in_content() -> set[str]:
    found = set()
    for pattern in CONTENT_GLOBS:
        for path in REPO_ROOT.glob(pattern):
            for match in re.finditer(r"(?<![\w-])aws ([a-z0-9][a-z0-9-]+) [a-z][a-z0-9-]+", path.read_text(encoding="utf-8", errors="replace")):
                found.add(match.group(1))
    return found - NOT_SERVICES


def _skip_reason() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "LOUD SKIP: the network-namespace test of the aws CLI needs Linux and root (CI runs it as root)"
    if not shutil.which("unshare") or not shutil.which("strace"):
        return "LOUD SKIP: needs `unshare` and `strace` (scripts/test.sh installs strace with apt-get)"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        return f"LOUD SKIP: cannot create a network namespace here: {probe.stderr.decode(errors='replace').strip()}"
    return None


SKIP = _skip_reason()
needs_netns = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")

# Brings `lo` up inside the new namespace (no `ip` binary needed), then runs the given command.
LO_UP = (
    "import fcntl, os, socket, struct, sys\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "flags = struct.unpack('16sH14s', fcntl.ioctl(s, 0x8913, struct.pack('16sH14s', b'lo', 0, b'')))[1]\n"
    "fcntl.ioctl(s, 0x8914, struct.pack('16sH14s', b'lo', flags | 1, b''))\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)


def in_netns(command: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-n", sys.executable, "-c", LO_UP, *command], env=env, capture_output=True,
                          text=True, timeout=timeout)


_CONNECT = re.compile(r"connect\(\d+, \{sa_family=(AF_INET6?)[^}]*?(?:sin6?_port=htons\((\d+)\))[^}]*?"
                      r"(?:inet_addr\(\"([^\"]+)\"\)|inet_pton\(AF_INET6, \"([^\"]+)\")")


def connects(trace: str) -> list[tuple[str, int]]:
    return [(m.group(3) or m.group(4), int(m.group(2))) for m in _CONNECT.finditer(trace)]


def off_loopback(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    import ipaddress

    bad = []
    for host, port in pairs:
        address = ipaddress.ip_address(host)
        address = getattr(address, "ipv4_mapped", None) or address
        if not address.is_loopback or port == 53:
            bad.append((host, port))
    return bad


def base_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])  # the bundled aws first
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["ZTLAB_HOME"] = str(tmp_path / "ztlab-home")
    env["ZTLAB_SANDBOX_WARM_UP"] = "0"
    for name in [n for n in env if n.startswith("AWS_")]:
        del env[name]
    # A developer's real set-up that must not matter: a region whose endpoints are all real.
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    return env


def driver_lines(services: list[str], trace_dir: Path) -> list[str]:
    lines = []
    for service in services:
        call = f"aws {service} {READ_CALLS[service]}"
        trace = trace_dir / f"{service}.trace"
        lines.append(f"echo '=== {service}'; strace -f -qq -e trace=connect -o {shlex.quote(str(trace))} "
                     f"{call} --cli-connect-timeout 5 --cli-read-timeout 20 >/dev/null 2>{shlex.quote(str(trace))}.err; "
                     f"echo \"rc=$?\"")
    return lines


def check_traces(services: list[str], trace_dir: Path, sandbox_port: int) -> None:
    problems = []
    for service in services:
        trace = (trace_dir / f"{service}.trace").read_text()
        errors = (trace_dir / f"{service}.trace.err").read_text()
        pairs = connects(trace)
        if off_loopback(pairs):
            problems.append(f"{service}: connect() off loopback: {off_loopback(pairs)}")
        if "Could not connect" in errors or "Connect timeout" in errors:
            problems.append(f"{service}: did not reach the sandbox: {errors.strip()[-300:]}")
        if ("127.0.0.1", sandbox_port) not in pairs:
            problems.append(f"{service}: never connected to the sandbox (127.0.0.1:{sandbox_port}); saw {pairs}; {errors.strip()[-300:]}")
    assert not problems, "\n".join(problems)


def test_every_service_in_the_content_has_a_read_call():
    missing = services_in_content() - set(READ_CALLS)
    assert not missing, f"add a harmless read call for {sorted(missing)} to READ_CALLS"


@needs_netns
def test_sandbox_env_sends_every_service_to_the_sandbox(tmp_path: Path):
    services = sorted(services_in_content() | ALWAYS)
    env = base_env(tmp_path)
    script = tmp_path / "drive.sh"
    port_file = tmp_path / "port"
    script.write_text("\n".join([
        "set -u",
        f"{shlex.quote(sys.executable)} -m ztlab sandbox start --json > {tmp_path}/start.json || exit 9",
        f'eval "$({shlex.quote(sys.executable)} -m ztlab sandbox env --shell bash)"',
        f'echo "${{AWS_ENDPOINT_URL##*:}}" > {shlex.quote(str(port_file))}',
        *driver_lines(services, tmp_path),
        f"{shlex.quote(sys.executable)} -m ztlab sandbox stop",
    ]) + "\n")
    result = in_netns(["bash", str(script)], env)
    assert result.returncode == 0, result.stdout + result.stderr
    check_traces(services, tmp_path, int(port_file.read_text().strip()))


@needs_netns
def test_sandbox_shell_sends_rds_and_sqs_to_the_sandbox(tmp_path: Path):
    services = ["rds", "sqs", "s3control"]
    env = base_env(tmp_path)
    env["SHELL"] = shutil.which("bash") or "/bin/bash"
    home = tmp_path / "home"
    home.mkdir()
    env["HOME"] = str(home)
    port_file = tmp_path / "port"
    commands = "\n".join([f'echo "${{AWS_ENDPOINT_URL##*:}}" > {shlex.quote(str(port_file))}',
                          *driver_lines(services, tmp_path), "exit"]) + "\n"
    driver = tmp_path / "drive.sh"
    driver.write_text(f"{shlex.quote(sys.executable)} -m ztlab sandbox shell <<'ZTLAB_EOF'\n{commands}ZTLAB_EOF\n"
                      f"rc=$?; {shlex.quote(sys.executable)} -m ztlab sandbox stop; exit $rc\n")
    result = in_netns(["bash", str(driver)], env)
    assert result.returncode == 0, result.stdout + result.stderr
    check_traces(services, tmp_path, int(port_file.read_text().strip()))


@needs_netns
def test_grade_scripts_send_rds_and_sqs_to_the_private_sandbox(tmp_path: Path):
    services = ["rds", "sqs", "s3control", "s3api"]
    env = base_env(tmp_path)
    script = tmp_path / "learner.sh"
    errors = tmp_path / "errors.txt"
    calls = "\n".join(f"aws {s} {READ_CALLS[s]} --cli-connect-timeout 5 >/dev/null 2>>{shlex.quote(str(errors))}; "
                      f"echo answered-{s}" for s in services)
    script.write_text(calls + "\nexit 1\n")  # a failing script has its output shown: the test reads it
    trace = tmp_path / "grade.trace"
    result = in_netns(["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace), sys.executable, "-m", "ztlab",
                       "lab", "grade", "s3-least-privilege", "--apply", str(script), "--format", "json"], env)
    for service in services:
        assert f"answered-{service}" in result.stderr, result.stderr[-3000:]
    assert "Could not connect" not in errors.read_text() and "Connect timeout" not in errors.read_text(), errors.read_text()
    bad = off_loopback(connects(trace.read_text()))
    assert bad == [], bad
