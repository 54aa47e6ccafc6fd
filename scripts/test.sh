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
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# Tests run with a private ZTLAB_HOME (tests/conftest.py); never against a developer's progress.
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
