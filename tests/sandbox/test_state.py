import json

from ztlab.sandbox.state import SandboxState, read_state, remove_state, write_state


def _state(**changes) -> SandboxState:
    values = dict(backend="moto", endpoint_url="http://127.0.0.1:5000", region="us-east-1", account_id="123456789012",
                  started_at=1.0, ztlab_version="0.1.0", pid=42, port=5000, token="abc")
    values.update(changes)
    return SandboxState(**values)


def test_state_round_trips_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "sandbox" / "sandbox.json"
    write_state(path, _state())
    assert read_state(path) == _state()
    assert [p.name for p in path.parent.iterdir()] == ["sandbox.json"]


def test_unreadable_state_files_are_treated_as_absent(tmp_path):
    path = tmp_path / "sandbox.json"
    for text in ("", "{", "[]", json.dumps({"backend": "docker"}), json.dumps({**json.loads(_state().to_json()), "pid": "12"})):
        path.write_text(text)
        assert read_state(path) is None, text


def test_remove_state_only_removes_the_server_it_was_asked_about(tmp_path):
    path = tmp_path / "sandbox.json"
    write_state(path, _state(token="new"))
    assert remove_state(path, only_token="old") is False
    assert path.exists()
    assert remove_state(path, only_token="new") is True
    assert not path.exists()
