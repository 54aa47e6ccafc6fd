"""Test-wide fixtures. Every test gets its own ZTLAB_HOME so no developer progress leaks in or out."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# moto's recorder picks its file when it is first imported, and defaults to `moto_recording` in the
# current folder: tests that record with an in-process moto would write into the checkout.
os.environ.setdefault("MOTO_RECORDER_FILEPATH",
                      str(Path(tempfile.gettempdir()) / f"ztlab-tests-moto-recording-{os.getpid()}.jsonl"))


@pytest.fixture(autouse=True)
def ztlab_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("ztlab-home")
    monkeypatch.setenv("ZTLAB_HOME", str(home))
    monkeypatch.delenv("ZTLAB_CONTENT", raising=False)
    return home


# ---------------------------------------------------------------- the fast lane
# `pytest -m "not slow and not server"` is the inner loop. A test that starts a server (listens on a
# socket), spawns a process or runs longer than SLOW_SECONDS belongs outside it; this instrumentation
# notices the ones that are not marked and lists them at the end of the run, so the lane stays fast
# without anyone timing it by hand.
SLOW_SECONDS = 2.0
_running: dict[str, Any] = {"item": None}


def _note(what: str) -> None:
    item = _running["item"]
    if item is not None:
        item.stash.setdefault(_NEEDS, set()).add(what)


_NEEDS = pytest.StashKey[set]()


def pytest_configure(config: pytest.Config) -> None:
    popen_init = subprocess.Popen.__init__
    listen = socket.socket.listen

    def noting_popen_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _note("a subprocess")
        return popen_init(self, *args, **kwargs)

    def noting_listen(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _note("a server")
        return listen(self, *args, **kwargs)

    subprocess.Popen.__init__ = noting_popen_init  # type: ignore[method-assign]
    socket.socket.listen = noting_listen  # type: ignore[method-assign]


# Fixtures that start a moto server (or LocalStack): every test using one is a `server` test.
SERVER_FIXTURES = {"moto_sandbox", "shared_moto", "localstack_sandbox", "moto_endpoint", "sandbox", "sandbox_stopped_after"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    _running["item"] = item
    try:
        yield
    finally:
        _running["item"] = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if call.when == "call" and call.duration > SLOW_SECONDS:
        item.stash.setdefault(_NEEDS, set()).add(f"{call.duration:.1f} s")
    needs = item.stash.get(_NEEDS, set())
    if report.when == "teardown" and needs and not (item.get_closest_marker("slow") or item.get_closest_marker("server")):
        report.user_properties.append(("unmarked", ", ".join(sorted(needs))))


_UNMARKED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _UNMARKED.extend(f"{report.nodeid}: {value}" for key, value in report.user_properties if key == "unmarked")


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if _UNMARKED:
        terminalreporter.section("tests to mark `server` or `slow` (they are not in the fast lane's budget)")
        for line in sorted(set(_UNMARKED)):
            terminalreporter.write_line(line)
