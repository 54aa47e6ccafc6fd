#!/usr/bin/env bash
# Install the LocalStack community runtime (localstack-core, host mode, no Docker) into a virtualenv
# of its own, from the committed pin file. Never into ztlab's environment: localstack-core pins an
# old boto3 and ships a forked `moto` package that would replace the real one.
#
#   bash scripts/install-localstack.sh [VENV_DIR]
#
# VENV_DIR defaults to $ZTLAB_LOCALSTACK_VENV, else the folder ztlab looks in
# (`locations().localstack_venv`). Re-running with the same pin file is a no-op.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pins="$here/localstack-requirements.txt"

venv="${1:-${ZTLAB_LOCALSTACK_VENV:-}}"
if [ -z "$venv" ]; then
    venv="$(PYTHONPATH="$here/..${PYTHONPATH:+:$PYTHONPATH}" "${PYTHON:-python3}" -c \
        'from ztlab.locations import locations; print(locations().localstack_venv)')"
fi

# The pins were tested on Python 3.11 (localstack-core 4.7.0); newer runtimes need >= 3.12.
python="${LOCALSTACK_PYTHON:-}"
if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            python="$candidate"
            break
        fi
    done
fi
if [ -z "$python" ]; then
    echo "install-localstack: no Python 3.11 found (the pin file is for 3.11); set LOCALSTACK_PYTHON" >&2
    exit 3
fi

stamp="$venv/.ztlab-pins.sha256"
want="$(sha256sum "$pins" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "install-localstack: $venv is up to date"
    exit 0
fi

echo "install-localstack: creating $venv (about 30 s, 500 MB)"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$pins"
"$venv/bin/python" -c 'import localstack.runtime.main, hypercorn' # fails loudly if the install is unusable
echo "$want" >"$stamp"
echo "install-localstack: ready: $venv"
