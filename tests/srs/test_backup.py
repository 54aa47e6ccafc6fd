from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from ztlab.srs import ProgressStore, QueueFilter, Rating, build_queue
from ztlab.srs.backup import BackupError, export_progress, import_progress

from tests.srs.conftest import lapse_until_leech


@pytest.fixture
def two_stores(tmp_path, settings):
    with ProgressStore.open(tmp_path / "laptop.sqlite3", settings=settings, fuzzing=False) as laptop, \
         ProgressStore.open(tmp_path / "desktop.sqlite3", settings=settings, fuzzing=False) as desktop:
        yield laptop, desktop


def test_import_keeps_the_later_state_and_merges_both_logs(two_stores, tmp_path, noon):
    laptop, desktop = two_stores
    laptop.review("alpha-c0", Rating.Easy, noon - timedelta(days=10))
    laptop.review("alpha-c1", Rating.Easy, noon - timedelta(days=10))
    desktop.review("alpha-c1", Rating.Again, noon - timedelta(days=1))  # later than the laptop's
    laptop.mark_lesson_done("alpha", noon)
    attempt = laptop.record_lab_attempt("lab-one", noon)
    laptop.record_lab_event(attempt, "check", noon + timedelta(minutes=1), score=0.5, results={"a": False})

    export_progress(laptop, tmp_path / "laptop.json")
    added = import_progress(desktop, tmp_path / "laptop.json")
    assert added["cards"] == 1 and added["reviews"] == 2 and added["lab_attempts"] == 1 and added["lab_events"] == 2
    assert desktop.card_state("alpha-c0") == laptop.card_state("alpha-c0")
    assert desktop.card_state("alpha-c1").kind == "learning"  # the desktop's later Again stands
    assert desktop.read("SELECT count(*) FROM reviews WHERE card_id = 'alpha-c1'") == [(2,)]
    assert desktop.lesson_progress() == {"alpha": noon}
    assert desktop.lab_events(attempt)[1].results == {"a": False}
    assert sum(import_progress(desktop, tmp_path / "laptop.json").values()) == 0  # idempotent


def test_damaged_backup_imports_nothing(store, tmp_path, noon):
    store.review("alpha-c0", Rating.Good, noon)
    export_progress(store, tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text())
    data["lab_events"] = [{"uid": "e1", "attempt_uid": "missing", "kind": "check", "at": noon.timestamp(), "score": None,
                           "results_json": None, "hint": None, "detail": None}]
    data["reviews"][0]["uid"] = "fresh-uid"
    (tmp_path / "b.json").write_text(json.dumps(data))
    with pytest.raises(BackupError, match="inconsistent"):
        import_progress(store, tmp_path / "b.json")
    assert store.read("SELECT count(*) FROM reviews") == [(1,)]  # the fresh review was rolled back too


def test_leech_tag_filter(store, course, noon):
    lapse_until_leech(store, "beta-c3", noon - timedelta(days=400))
    store.unsuspend("beta-c3", noon)
    assert store.card_state("beta-c3").leech
    queue = build_queue(store, course, noon, filters=QueueFilter(tag="leech"))
    assert [item.card_id for item in queue] == ["beta-c3"]


def test_core_never_imports_textual():
    code = "import sys, ztlab.srs, ztlab.srs.backup; assert not any(m.startswith('textual') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
