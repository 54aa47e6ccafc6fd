#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what the tests need, then runs them.
# `.ci/run` runs exactly this script; the README documents it as the test command.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

# The browser test of `ztlab serve` drives a headless Chromium (no browser download): install the
# distribution's package when we can; without it that test skips with a loud reason.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
        || echo "scripts/test.sh: could not install chromium; the browser test will be skipped" >&2
fi

# Tests run with a private ZTLAB_HOME (tests/conftest.py); never against a developer's progress.
exec .venv/bin/python -m pytest -n 2 --dist loadgroup "$@"
