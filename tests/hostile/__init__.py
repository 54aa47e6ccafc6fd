"""Hostile and broken input (issue 13): every case runs the real `ztlab` and asserts the exit code,
the located message and a CPU-time hang guard (`conftest.run_ztlab`).

Where each class is tested (the matcher and regrade cases live beside what they test):
- wildcard backtracking: `tests/policy/test_wildcards.py` (hypothesis against a reference matcher,
  adversarial patterns), `tests/policy/test_redos_sandbox.py` (an audit of an account holding them)
- YAML bombs, deep nesting, NUL bytes, huge and non-regular files, links out of a pack, private
  boto3 calls in lab steps: `test_content_files.py`
- JSON inputs (snapshots, backups, bundles, policies, `--timeout` values): `test_json_inputs.py`
- poisoned backups and an emptied store: `test_progress_inputs.py`; full disk, read-only folder,
  locked store: `test_store_failures.py`
- untrusted text on the terminal: `test_terminal_text.py`, `tests/tui/test_untrusted_text.py`
- per-lab time limits in a class regrade: `tests/workshop/test_regrade_limits.py`
- reset during the sandbox's warm-up: `test_sandbox_races.py`
- lowest dependency versions: the lowest-versions lane in `scripts/test.sh`
"""
