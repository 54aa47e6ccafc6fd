"""The app keeps one store open for hours while the CLI (and the lab runtime, in-process) open
and close their own: the app's connection must keep working through all of it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ztlab.srs import ProgressStore

pytestmark = pytest.mark.slow  # runs the ztlab CLI (or tmux, a browser) in subprocesses: not in the fast lane


def test_an_open_store_survives_other_openers_in_and_out_of_process(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with ProgressStore.open(path, fuzzing=False) as app_store:
        app_store.record_lab_attempt("lab-a")
        with ProgressStore.open(path) as same_process:  # as ztlab.labs.progress does beside the app
            same_process.record_lab_attempt("lab-b")
        other = subprocess.run(
            [sys.executable, "-c",
             "import sys; from ztlab.srs import ProgressStore\n"
             "with ProgressStore.open(sys.argv[1]) as s: s.record_lab_attempt('lab-c')", str(path)],
            capture_output=True, text=True, timeout=120)
        assert other.returncode == 0, other.stderr
        assert path.with_name(path.name + "-shm").exists()  # the other process knew it was not alone
        assert sorted(a.lab_id for a in app_store.lab_attempts()) == ["lab-a", "lab-b", "lab-c"]
