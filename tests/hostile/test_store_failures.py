"""A store that cannot be written is told apart from a damaged one, and loses nothing.

A full disk, a read-only folder and a lock held by another process each get their own message and
remedy; none of them says "move it aside" (advice that would make a learner abandon good progress),
and the answers already saved are still there once the problem is gone. The full disk and the
read-only folder are real: a 4 MB tmpfs and a read-only bind mount, made in a private mount
namespace so nothing outside the test sees them (root only; skipped elsewhere).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import run_ztlab

pytestmark = pytest.mark.slow  # runs the ztlab CLI in subprocesses: not in the fast lane

ANSWER_ONE = "\n3\n"  # reveal the first card, answer Good


class MountNamespace:
    """A private mount namespace kept alive by a sleeping process; commands join it with nsenter."""

    def __init__(self) -> None:
        self.holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sleep", "600"])
        mine = Path("/proc/self/ns/mnt").resolve()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{self.holder.pid}/ns/mnt").resolve() == mine:
            if self.holder.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("unshare did not create a mount namespace")
            time.sleep(0.01)

    def prefix(self) -> list[str]:
        return ["nsenter", "-t", str(self.holder.pid), "-m"]

    def run(self, *command: str) -> None:
        subprocess.run([*self.prefix(), *command], check=True, capture_output=True, timeout=30)

    def close(self) -> None:
        self.holder.kill()
        self.holder.wait()


@pytest.fixture
def namespace():
    if shutil.which("unshare") is None or shutil.which("nsenter") is None:
        pytest.skip("needs unshare and nsenter (util-linux)")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs the right to make a mount namespace (root)")
    space = MountNamespace()
    yield space
    space.close()


def answers_saved(db: Path, prefix: list[str] | None = None) -> int:
    """How many answers the store holds, read in a child so it can look inside the namespace too."""
    query = f"import sqlite3; print(sqlite3.connect('file:{db}?mode=ro', uri=True).execute('SELECT count(*) FROM reviews').fetchone()[0])"
    done = subprocess.run([*(prefix or []), sys.executable, "-c", query], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def answer_one_card(home: Path, prefix: list[str] | None = None) -> Path:
    answered = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE, prefix=prefix)
    assert answered.code == 0, answered.text
    return home / "data" / "progress.sqlite3"


def test_a_full_disk_is_named_and_the_saved_answers_survive(ztlab_home, namespace):
    data = ztlab_home / "data"
    data.mkdir(parents=True)
    namespace.run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(data))
    inside = namespace.prefix()
    db = answer_one_card(ztlab_home, inside)
    assert answers_saved(db, inside) == 1
    filler = data / "filler"
    namespace.run("sh", "-c", f"dd if=/dev/zero of={filler} bs=16k 2>/dev/null; true")

    full = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE, prefix=inside)

    assert full.code in (1, 2)
    assert f"{db}: the disk is full" in full.err and "Free some space" in full.err, full.text
    assert "Again" not in full.out  # refused before a card was shown whose answer could not be kept
    assert "move it aside" not in full.text
    namespace.run("rm", str(filler))
    assert answers_saved(db, inside) == 1
    again = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE, prefix=inside)
    assert again.code == 0 and answers_saved(db, inside) == 2


def test_a_read_only_folder_is_named_before_a_card_is_shown(ztlab_home, namespace):
    db = answer_one_card(ztlab_home)
    data = str(db.parent)
    namespace.run("mount", "--bind", data, data)
    namespace.run("mount", "-o", "remount,ro,bind", data)

    blocked = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE, prefix=namespace.prefix())

    assert blocked.code in (1, 2)
    assert f"{db}: cannot write the progress database (a read-only file or folder?)" in blocked.err, blocked.text
    assert f"Make {data} writable" in blocked.err
    assert "Again" not in blocked.out  # no card was shown whose answer could not be kept
    assert "move it aside" not in blocked.text
    assert answers_saved(db) == 1


def test_a_database_locked_by_another_process_is_named_and_nothing_is_lost(ztlab_home):
    db = answer_one_card(ztlab_home)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer that never lets go
    try:
        locked = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert locked.code in (1, 2)
    assert f"{db}: another process kept the progress database locked" in locked.err, locked.text
    assert "Close it and retry" in locked.err and "move it aside" not in locked.text
    assert answers_saved(db) == 1
    again = run_ztlab("review", "--plain", cpu_limit=20, input=ANSWER_ONE)
    assert again.code == 0 and answers_saved(db) == 2
