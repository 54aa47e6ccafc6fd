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

# Lowest-versions lane: the fast tests again against the lowest release of each direct dependency
# that pyproject.toml allows, so its lower bounds stay true (a bound that is too low breaks here,
# not on a learner's machine that already had an old package). It runs first and only on a whole
# run (no arguments); a failure fails the run once the main suite has reported. The screenshot
# comparisons are left out: recorded with the current Textual, an older one may draw the same
# pixels as other SVG rectangles.
lowest_lane() {
    { .venv/bin/python -m uv --version >/dev/null 2>&1 \
        || .venv/bin/pip install --quiet --disable-pip-version-check uv; } &&
    .venv/bin/python -m uv venv --quiet --clear --python .venv/bin/python .venv-lowest &&
    .venv/bin/python -m uv pip install --quiet --python .venv-lowest/bin/python --resolution lowest-direct -e '.[test]' &&
    .venv-lowest/bin/python -m pytest -n 2 -q -p no:cacheprovider -m "not slow and not server and not localstack" \
        --ignore=tests/tui/test_snapshots.py
}
lowest_rc=0
if [ "$#" = 0 ]; then
    lowest_lane || lowest_rc=$?
    [ "$lowest_rc" = 0 ] || echo "scripts/test.sh: the lowest-versions lane FAILED (exit $lowest_rc); see above" >&2
fi

# Tests run with a private ZTLAB_HOME (tests/conftest.py); never against a developer's progress.
rc=0
.venv/bin/python -m pytest -n 2 --dist loadgroup --durations=15 "$@" || rc=$?
[ "$rc" != 0 ] || rc=$lowest_rc
exit "$rc"
