#!/usr/bin/env bash
# Drive the real `ztlab` app in tmux like a person: launch it, read the screen, open the suggested
# lesson, step to the lessons list, look at help, quit. Fails (exit 1) with the screen printed when
# something expected is not on it.
#
#   PYTHON=.venv/bin/python scripts/tmux_smoke.sh
#
# Uses its own tmux server socket and a throwaway ZTLAB_HOME, so it never touches your sessions
# or progress.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SOCKET="ztlab-smoke-$$"
HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ztlab-smoke-XXXXXX")
TIMEOUT=${SMOKE_TIMEOUT:-20}
T() { tmux -L "$SOCKET" "$@"; }
cleanup() { T kill-server 2>/dev/null || true; rm -rf "$HOME_DIR"; }
trap cleanup EXIT

screen() { T capture-pane -p -t smoke; }

# Wait until the screen shows TEXT (a fixed string), or fail with what the screen shows.
wait_for() {
  local text=$1 deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    if screen 2>/dev/null | grep -qF -- "$text"; then return 0; fi
    sleep 0.2
  done
  echo "tmux smoke: waited ${TIMEOUT}s for \"$text\"; the screen shows:" >&2
  screen >&2 || true
  exit 1
}

keys() { T send-keys -t smoke "$@"; sleep 0.4; }

# With no client attached, tmux may size a new window 80x24 whatever -x/-y say: size it first,
# then start the app in it, so the app's first layout already has the size asked for.
ENVS=(-e "ZTLAB_HOME=$HOME_DIR" -e "COLORTERM=truecolor" -e "TERM=xterm-256color"
      -e "PYTHONPATH=${PYTHONPATH:-}" -e "ZTLAB_CONTENT=${ZTLAB_CONTENT:-}")
T new-session -d -s smoke -x 120 -y 36 "${ENVS[@]}" "sleep 600"
T set-window-option -t smoke window-size manual >/dev/null 2>&1 || true
T resize-window -t smoke -x 120 -y 36 >/dev/null 2>&1 || true
# COLUMNS/LINES left in the environment (test runners set them) would pin the app at their size.
T respawn-pane -k -t smoke "${ENVS[@]}" "env -u COLUMNS -u LINES $PYTHON -m ztlab; echo ZTLAB-EXITED-\$?; sleep 60"

# Home: the next step names the first lesson; remember its title.
wait_for "Next step"
wait_for "Progress by principle"
wait_for "lesson 1 of"
title=$(screen | grep -o 'lesson 1 of [0-9]*: .*' | head -1 | sed -E 's/^lesson 1 of [0-9]+: //; s/ *│.*$//; s/ +$//')
[ -n "$title" ] || { echo "tmux smoke: no lesson title on Home" >&2; screen >&2; exit 1; }
echo "first lesson: $title"

# Open it: the reader shows its title and the facts beside it; its end holds the takeaways.
keys Enter
wait_for "About this lesson"
keys End  # the takeaways close the lesson
wait_for "Takeaways"
wait_for "About this lesson"
wait_for "Lesson 1 of"
screen | grep -qF -- "${title:0:30}" || { echo "tmux smoke: the reader does not show \"$title\"" >&2; screen >&2; exit 1; }
keys End
wait_for "Takeaways"

# Next lesson (when the course has one), then back to the list.
total=$(screen | grep -o 'Lesson 1 of [0-9]*' | head -1 | grep -o '[0-9]*$')
if [ "${total:-1}" -gt 1 ]; then
  keys n
  wait_for "Lesson 2 of $total"
fi
keys Escape  # back to the list (q quits everywhere)
wait_for "Lessons by principle"
wait_for "Preview"

# Help lists the screen's keys with their ids.
keys '?'
wait_for "Binding id"
wait_for "go.home"
keys Escape
sleep 0.6  # a key right after Escape would be read as alt+key

# Settings, then quit from Home.
keys s
wait_for "Desired retention"
keys h
wait_for "Next step"
keys q
wait_for "ZTLAB-EXITED-0"
echo "tmux smoke: ok"
