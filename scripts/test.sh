#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what the tests need, then runs them.
# `.ci/run` runs exactly this script; the README documents it as the test command.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}

# The app's tmux smoke test drives the real `ztlab` in tmux; install it when we can.
if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq tmux >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq tmux; } || true
fi
# The network-namespace test of the aws CLI (tests/sandbox/test_cli_netns.py) watches connect()
# with strace; it skips loudly without it.
if ! command -v strace >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -qq strace >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq strace; } \
    || echo "scripts/test.sh: could not install strace; the aws CLI network test will be skipped" >&2
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# The LocalStack runtime gets a virtualenv of its own (never .venv: it pins an old boto3 and ships
# a forked moto). Tests marked `localstack` use it; if it cannot be installed here they are
# skipped with the reason below, and we say so loudly rather than pass quietly.
export ZTLAB_LOCALSTACK_VENV="${ZTLAB_LOCALSTACK_VENV:-$PWD/.localstack-venv}"
if ! bash scripts/install-localstack.sh "$ZTLAB_LOCALSTACK_VENV" >.localstack-install.log 2>&1; then
    export ZTLAB_LOCALSTACK_SKIP_REASON="installing the LocalStack runtime failed (see .localstack-install.log)"
    {
        echo "################################################################################"
        echo "#  WARNING: LocalStack runtime could not be installed; LocalStack tests will SKIP."
        echo "#  Reason: $ZTLAB_LOCALSTACK_SKIP_REASON"
        tail -n 15 .localstack-install.log | sed 's/^/#    /'
        echo "################################################################################"
    } >&2
fi

# The browser test of `ztlab serve` drives a headless Chromium (no browser download): install the
# distribution's package when we can; without it that test skips with a loud reason.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
        || echo "scripts/test.sh: could not install chromium; the browser test will be skipped" >&2
fi

# Tests run with a private ZTLAB_HOME (tests/conftest.py); never against a developer's progress.
exec .venv/bin/python -m pytest -n 2 --dist loadgroup --durations=15 "$@"
