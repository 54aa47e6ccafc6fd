#!/usr/bin/env bash
# Every speed figure of the README's Performance table: bash scripts/bench.sh [--runs 5] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
exec "$PYTHON" -m bench "$@"
