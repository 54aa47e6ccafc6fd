"""Files that belong to one learner are theirs alone, whatever the umask: 0600 files, 0700 folders.
The workshop file (it holds the signing key), the progress store, the learner file, evidence with
its recorded requests, the sandbox state (it holds the server's token), its log and moto's own
recording, and submission bundles."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.server


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask():
    """The common default umask (022) would leave every file readable by all local users."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def ztlab(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run([sys.executable, "-m", "ztlab", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_workshop_file_with_its_key_is_private(tmp_path: Path):
    tmp_path.chmod(0o755)
    result = ztlab("workshop", "init", str(tmp_path / "class.yaml"))
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "class.yaml") == 0o600
    assert mode(tmp_path) == 0o755, "the user's own folder is left as it was"


def test_learner_file_progress_store_and_evidence_are_private(ztlab_home: Path):
    from ztlab.labs.evidence import LabEvidence
    from ztlab.locations import locations
    from ztlab.srs.store import ProgressStore

    assert ztlab("workshop", "join", "Ada").returncode == 0
    assert mode(locations().learner_file) == 0o600 and mode(locations().config_dir) == 0o700

    store = ProgressStore.open()
    store.close()
    assert mode(locations().progress_db) == 0o600 and mode(locations().data_dir) == 0o700
    for extra in locations().data_dir.glob("progress.sqlite3-*"):
        assert mode(extra) == 0o600, extra

    evidence = LabEvidence(lab_id="s3-least-privilege", seed=1, recording=[{"method": "GET", "url": "http://127.0.0.1/"}])
    evidence.save()
    assert mode(LabEvidence.path("s3-least-privilege")) == 0o600
    assert mode(locations().evidence_dir) == 0o700


def test_sandbox_state_log_and_recording_are_private(moto_sandbox):
    from ztlab.locations import locations
    from ztlab.sandbox import recorder

    recorder.start(moto_sandbox, fresh=True)
    moto_sandbox.clients()("s3").create_bucket(Bucket="recorded-bucket")
    recorder.stop(moto_sandbox)
    folder = locations().sandbox_dir
    assert mode(folder) == 0o700
    assert mode(locations().sandbox_state_file) == 0o600
    assert mode(Path(moto_sandbox.log_file)) == 0o600
    recordings = list(folder.glob("moto-recording*"))
    assert recordings, "moto wrote no recording"
    for path in recordings:
        assert mode(path) == 0o600, path
    for path in folder.glob("aws-config-*"):
        assert mode(path) == 0o600, path


def test_submission_bundles_are_private(tmp_path: Path):
    from ztlab.workshop.bundle import write_bundle

    path = write_bundle({"learner": {"name": "Ada"}, "labs": []}, tmp_path / "out")
    assert mode(path) == 0o600
