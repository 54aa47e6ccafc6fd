#!/usr/bin/env bash
# The inner loop: every test that needs no server, no subprocess and runs in under two seconds
# (the others are marked `server` / `slow`; tests/conftest.py lists any that are not). Run the
# whole suite (scripts/test.sh) before landing.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -n 2 -q -p no:cacheprovider -m "not slow and not server and not localstack" --durations=15 "$@"
