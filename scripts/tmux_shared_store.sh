#!/usr/bin/env bash
# The app and `ztlab review --plain` on one progress store, as a learner with two terminals:
# the app shows a card, the CLI answers that same card, then the app's answer must not be saved
# twice; every card ends with exactly one answer, and Home counts them all. Then, at 80x24, a
# lab's briefing gets the width and `b` shows its objectives. Fails (exit 1) with the screen
# printed when something expected is not on it.
#
#   PYTHON=.venv/bin/python scripts/tmux_shared_store.sh
#
# Own tmux socket and throwaway ZTLAB_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SOCKET="ztlab-shared-$$"
HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ztlab-shared-XXXXXX")
TIMEOUT=${SMOKE_TIMEOUT:-40}
export ZTLAB_HOME=$HOME_DIR
T() { tmux -L "$SOCKET" "$@"; }
cleanup() {
  T kill-server 2>/dev/null || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

screen() { T capture-pane -p -t app; }

wait_for() {  # TEXT [SECONDS]
  local text=$1 deadline=$((SECONDS + ${2:-$TIMEOUT}))
  while ((SECONDS < deadline)); do
    if screen 2>/dev/null | grep -qF -- "$text"; then return 0; fi
    sleep 0.3
  done
  echo "tmux shared store: waited ${2:-$TIMEOUT}s for \"$text\"; the screen shows:" >&2
  screen >&2 || true
  exit 1
}

keys() { T send-keys -t app "$@"; sleep 0.7; }

answers() {  # card_id -> number of answers, one per line, for cards answered more than once
  "$PYTHON" - <<'PY'
from ztlab.srs import ProgressStore
with ProgressStore.open() as store:
    rows = store.read("SELECT card_id, count(*) FROM reviews GROUP BY card_id HAVING count(*) > 1")
    total = store.read("SELECT count(*) FROM reviews")[0][0]
print(total, " ".join(f"{card}x{n}" for card, n in rows))
PY
}

T new-session -d -s app -x 120 -y 40 \
  -e "ZTLAB_HOME=$HOME_DIR" -e "COLORTERM=truecolor" -e "TERM=xterm-256color" \
  -e "PYTHONPATH=${PYTHONPATH:-}" \
  "env -u COLUMNS -u LINES $PYTHON -m ztlab; echo ZTLAB-EXITED-\$?; sleep 60"
T set-window-option -t app window-size manual >/dev/null 2>&1 || true
T resize-window -t app -x 120 -y 40 >/dev/null 2>&1 || true

wait_for "Next step"
wait_for "to study now"
keys r
wait_for "Show answer"
wait_for "reviewed: 0"
keys Space
wait_for "Answer"

# The second terminal: the plain review answers the first card (the one the app shows) and one more.
printf '\n3\n\n3\nq\n' | "$PYTHON" -m ztlab review --plain >"$HOME_DIR/plain.txt"
grep -q "^saved: " "$HOME_DIR/plain.txt" || { echo "tmux shared store: review --plain saved nothing" >&2; cat "$HOME_DIR/plain.txt" >&2; exit 1; }

# The app notices (it looks every second, and again before saving an answer) and moves on:
# 20 new cards a day, 2 answered in the other terminal.
wait_for "in another"
wait_for "left: 18 new"
for n in 1 2 3; do
  wait_for "Show answer"
  keys Space
  wait_for "Answer"
  keys 3
done
wait_for "reviewed: 3"

read -r total twice <<<"$(answers)"
[ "$total" = 5 ] || { echo "tmux shared store: expected 5 answers (2 in the CLI, 3 in the app), found $total" >&2; exit 1; }
[ -z "${twice:-}" ] || { echo "tmux shared store: answered twice: $twice" >&2; exit 1; }
echo "5 answers from two terminals, no card answered twice"

# Home counts every answer, from both terminals.
keys h
wait_for "5 studied"

# 80x24: the lab briefing gets the width, b shows the objectives.
T resize-window -t app -x 80 -y 24 >/dev/null 2>&1
keys a
wait_for "enter opens a lab"  # the catalogue's own line: Enter typed before it shows is dropped
keys Enter
wait_for "Briefing/progress"
wait_for "Northwind Analytics runs a nightly job as the IAM role report-builder"
keys b
wait_for "Objectives"
keys Escape
wait_for "not started"
keys q
wait_for "ZTLAB-EXITED-0"
echo "tmux shared store: ok"
