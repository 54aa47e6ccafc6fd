"""A lab checked against an account that lost its subject fails, never passes vacuously (issue 11 item 5).

After a sandbox reset the role report-builder is gone. A deleted role is denied everything, so "the
role cannot write" would pass if nobody asked whether the role exists at all.
"""

from __future__ import annotations

import pytest

from ztlab.content import load_course
from ztlab.labs.runtime import check_lab, setup_lab

COURSE, _ = load_course()


@pytest.fixture(scope="module")
def sandbox():
    from ztlab.sandbox.ephemeral import ephemeral_moto

    with ephemeral_moto() as box:
        yield box


@pytest.mark.server
def test_reset_account_fails_every_objective_of_s3_least_privilege(sandbox, tmp_path):
    lab = COURSE.labs["s3-least-privilege"]
    sandbox.reset()
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path)
    sandbox.reset()  # what `ztlab sandbox reset` does to a lab in progress
    result = check_lab(lab, sandbox, names)
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in result.objectives)
    assert result.score == 0, report
    assert all(o.status == "FAIL" for o in result.objectives), report
    assert any("role report-builder no longer exists" in o.message for o in result.objectives), report


@pytest.mark.server
def test_deleting_the_role_is_not_a_fix(sandbox, tmp_path):
    lab = COURSE.labs["s3-least-privilege"]
    sandbox.reset()
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path)
    iam = sandbox.clients().client("iam")
    iam.delete_role_policy(RoleName="report-builder", PolicyName="job-access")
    iam.delete_role(RoleName="report-builder")
    result = check_lab(lab, sandbox, names)
    by_id = {o.id: o for o in result.objectives}
    for objective_id in ("no-writes-or-admin", "only-the-monthly-prefix", "tls-only", "exactly-the-job"):
        assert by_id[objective_id].status == "FAIL", by_id[objective_id].message
        assert "role report-builder no longer exists" in by_id[objective_id].message
