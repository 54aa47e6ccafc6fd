"""Every lab whose services the LocalStack community runtime emulates proves itself there too:
after setup every objective fails, after the reference solution every objective passes."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import localstack_sandbox  # noqa: F401  (the session's real LocalStack)
from ztlab.content import load_course
from ztlab.labs.runtime import apply_solution, check_lab, setup_lab, unsupported_services

COURSE, _ = load_course()
# What the community runtime lacks (the sandbox reads this from LocalStack's own health listing;
# the test below asserts the two agree).
COMMUNITY_MISSING = {"cloudtrail", "guardduty", "rds", "securityhub", "organizations", "cognito-idp"}
LOCALSTACK_LABS = sorted(l.id for l in COURSE.labs.values() if not set(l.services) & COMMUNITY_MISSING)


def test_most_labs_can_run_on_localstack():
    assert len(LOCALSTACK_LABS) >= 8, LOCALSTACK_LABS


@pytest.mark.localstack
@pytest.mark.xdist_group("localstack")
@pytest.mark.parametrize("lab_id", LOCALSTACK_LABS)
def test_lab_on_localstack(localstack_sandbox, lab_id, tmp_path):  # noqa: F811
    from ztlab.sandbox import reset_sandbox

    lab = COURSE.labs[lab_id]
    sandbox = reset_sandbox(localstack_sandbox)  # a restart: the community runtime has no reset call
    assert not unsupported_services(lab, sandbox), sandbox.missing_services
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path)
    before = check_lab(lab, sandbox, names)
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in before.objectives)
    assert all(o.status == "FAIL" for o in before.objectives), "after setup every objective must fail:\n" + report
    apply_solution(COURSE, lab, sandbox, names)
    after = check_lab(lab, sandbox, names)
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in after.objectives)
    assert after.passed, "the reference solution must pass on LocalStack too:\n" + report


@pytest.mark.localstack
@pytest.mark.xdist_group("localstack")
def test_labs_needing_pro_services_are_refused_clearly(localstack_sandbox):  # noqa: F811
    from ztlab.labs.runtime import LabError

    blocked = [l for l in COURSE.labs.values() if set(l.services) & localstack_sandbox.missing_services]
    assert blocked, "some labs need CloudTrail, GuardDuty or RDS"
    with pytest.raises(LabError, match="does not emulate.*moto"):
        setup_lab(COURSE, blocked[0], localstack_sandbox)
