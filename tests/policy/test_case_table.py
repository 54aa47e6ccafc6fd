"""Table-driven cases from the IAM User Guide's rules, evaluated through the library."""

from __future__ import annotations

import json

import pytest

from tests.policy.casefiles import all_cases, expected_decisions
from ztlab.policy.simulate import simulate_document

CASES = all_cases()


def test_the_table_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case):
    output, _warnings = simulate_document(case, source="case")
    results = output["EvaluationResults"]
    decisions = [r["EvalDecision"] for r in results]
    assert decisions == expected_decisions(case), case["Description"]
    if "ExpectedMissingContextValues" in case:
        missing = {k.lower() for r in results for k in r["MissingContextValues"]}
        missing |= {k.lower() for r in results for s in r.get("ResourceSpecificResults", [])
                    for k in s["MissingContextValues"]}
        assert missing == {k.lower() for k in case["ExpectedMissingContextValues"]}
    if "ExpectedFailedLayer" in case:
        assert {r.get("FailedLayer") for r in results} == {case["ExpectedFailedLayer"]}


def test_adversarial_cases_match_their_builder():
    import runpy

    from tests.policy.casefiles import CASES_DIR

    builder = runpy.run_path(str(CASES_DIR.parent / "heldout_like" / "build_cases.py"))
    built = [builder["_fix_notaction"](c) for c in builder["CASES"]]
    assert json.loads((CASES_DIR / "09-adversarial.json").read_text()) == json.loads(json.dumps(built))
