"""The network labs' adversarial proofs hold on LocalStack too, not only on moto: each wrong fix fails
the objectives it must, each valid alternative passes every objective (issue 11: IPv6, prefix lists,
group references, route tables and endpoints as LocalStack's EC2 stores them)."""

from __future__ import annotations

import pytest

from tests.labs.proof_scenarios import run_proof_steps, scenarios
from tests.labs.test_labs_on_localstack import LOCALSTACK_LABS
from tests.sandbox.conftest import localstack_sandbox  # noqa: F401  (the session's real LocalStack)
from ztlab.content import load_course
from ztlab.labs.runtime import apply_solution, check_lab, setup_lab

COURSE, _ = load_course()
NETWORK_LABS = [lab for lab in ("three-tier-segmentation", "private-connectivity") if lab in LOCALSTACK_LABS]
SCENARIOS = [s for s in scenarios(NETWORK_LABS) if s.kind in ("wrong", "alternative")]


def uses_prefix_lists(scenario) -> bool:
    # LocalStack's community EC2 answers GetManagedPrefixListEntries with empty CIDRs, so a rule naming
    # a customer prefix list cannot be resolved there: the exact objectives say UNKNOWN, never PASS.
    return any(getattr(step, "call", "") == "ec2.create_managed_prefix_list" for step in scenario.steps)


@pytest.mark.localstack
@pytest.mark.slow
@pytest.mark.xdist_group("localstack")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.test_id)
def test_network_proof_on_localstack(localstack_sandbox, scenario, tmp_path):  # noqa: F811
    from ztlab.sandbox import reset_sandbox

    if scenario.kind == "alternative" and uses_prefix_lists(scenario):
        pytest.skip("LocalStack returns prefix-list entries without CIDRs: the grader rightly cannot pass this")
    lab = COURSE.labs[scenario.lab_id]
    sandbox = reset_sandbox(localstack_sandbox)  # a restart: the community runtime has no reset call
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path)
    if scenario.after == "reference":  # one wrong step on top of the right fix
        apply_solution(COURSE, lab, sandbox, names)
    names = run_proof_steps(scenario.steps, sandbox.clients(), names, tmp_path, where=scenario.name)
    result = check_lab(lab, sandbox, names)
    status = {o.id: o for o in result.objectives}
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in result.objectives)
    if scenario.kind == "alternative":
        assert result.passed, "the alternative must pass every objective on LocalStack:\n" + report
        return
    for objective_id in scenario.fails:
        allowed = ("FAIL", "UNKNOWN") if uses_prefix_lists(scenario) else ("FAIL",)
        assert status[objective_id].status in allowed, f"{objective_id} must fail for {scenario.name}:\n" + report
    for objective_id in scenario.passes:
        allowed = ("PASS", "UNKNOWN") if uses_prefix_lists(scenario) else ("PASS",)
        assert status[objective_id].status in allowed, f"{objective_id} must pass for {scenario.name}:\n" + report
