"""Every lab proves itself against a real moto server on loopback (see proof_scenarios.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.labs.proof_scenarios import load_proofs, run_proof_steps, scenarios
from ztlab.content import load_course
from ztlab.labs.runtime import apply_solution, check_lab, setup_lab

COURSE, PROBLEMS = load_course()
LAB_IDS = sorted(COURSE.labs)


def test_every_lab_folder_loads():
    # A lab.yaml that fails to load would otherwise just vanish from the proof scenarios below.
    lab_dirs = sorted(p.parent.name for p in (Path(__file__).parents[2] / "labs").glob("*/lab.yaml"))
    assert lab_dirs == LAB_IDS, [str(problem) for problem in PROBLEMS]


@pytest.fixture(scope="module")
def sandbox():
    from ztlab.sandbox.ephemeral import ephemeral_moto

    with ephemeral_moto() as box:
        yield box


def test_every_lab_has_proofs_with_a_wrong_fix_and_an_alternative():
    for lab_id in LAB_IDS:
        proofs = load_proofs(lab_id)
        assert proofs.wrong_fixes, f"{lab_id}: add at least one wrong fix drawn from the common mistakes"
        assert proofs.alternatives, f"{lab_id}: add at least one valid alternative solution"
        objective_ids = {o.id for o in COURSE.labs[lab_id].objectives}
        for wrong in proofs.wrong_fixes:
            assert set(wrong.fails) | set(wrong.passes) <= objective_ids, f"{lab_id}:{wrong.name} names unknown objectives"


@pytest.mark.server
@pytest.mark.parametrize("scenario", scenarios(LAB_IDS), ids=lambda s: s.test_id)
def test_lab_scenario(sandbox, scenario, tmp_path):
    lab = COURSE.labs[scenario.lab_id]
    sandbox.reset()
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path)
    if scenario.kind == "reference" or scenario.after == "reference":
        apply_solution(COURSE, lab, sandbox, names)
    if scenario.kind != "reference":
        names = run_proof_steps(scenario.steps, sandbox.clients(), names, tmp_path, where=scenario.name)
    result = check_lab(lab, sandbox, names)
    status = {o.id: o for o in result.objectives}
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in result.objectives)
    assert not [o for o in result.objectives if o.status == "UNKNOWN"], report
    if scenario.kind == "setup":
        assert all(o.status == "FAIL" for o in result.objectives), "every objective must fail after setup:\n" + report
        assert result.score == 0
    elif scenario.kind in ("reference", "alternative"):
        assert result.passed, f"{scenario.kind} must pass every objective:\n" + report
        assert result.score == result.max_score
    else:
        for objective_id in scenario.fails:
            assert status[objective_id].status == "FAIL", f"{objective_id} must fail for {scenario.name}:\n" + report
            assert status[objective_id].message
        for objective_id in scenario.passes:
            assert status[objective_id].status == "PASS", f"{objective_id} must pass for {scenario.name}:\n" + report
