"""The catalogue itself: size, metadata, coverage of every criterion, pass AND fail fixtures for every check."""

from __future__ import annotations

import pytest

from ztlab.checks import all_checks, get_check, select_checks, severity_rank
from ztlab.checks.registry import UnknownCheck
from ztlab.principles import PRINCIPLES

from tests.checks import test_iam, test_network, test_s3, test_services, test_vpc_s3_endpoint_checks
from tests.policy import test_escalations

ALL_CASES = test_iam.CASES + test_network.CASES + test_s3.CASES + test_services.CASES
# Checks whose pass and fail fixtures are parametrised in a test module of their own.
DEDICATED_FIXTURES = {
    "vpc_s3_endpoint_all_route_tables": test_vpc_s3_endpoint_checks,
    "vpc_endpoint_s3_policy_restricted": test_vpc_s3_endpoint_checks,
    **{check_id: test_escalations for check_id in test_escalations.EXPECT},  # on moto, in tests/policy
}

# Every control id of the criteria table in the zero-trust criteria notes.
CRITERIA_FSBP = {"IAM.1", "IAM.21", "KMS.1", "KMS.2", "IAM.4", "IAM.6", "IAM.9", "IAM.5", "S3.5", "S3.17", "S3.1", "S3.8", "S3.2",
                 "S3.3", "EC2.13", "EC2.14", "EC2.19", "EC2.18", "EC2.2", "EC2.3", "EC2.7", "RDS.2", "RDS.3", "RDS.4", "KMS.4",
                 "CloudTrail.1", "CloudTrail.2", "CloudTrail.4", "CloudTrail.5", "GuardDuty.1"}
CRITERIA_CIS = {"1.16", "1.4", "1.5", "1.6", "1.10", "2.1.1", "2.1.4", "5.2", "5.3", "5.4", "2.2.1", "2.3.1", "2.3.3", "3.6",
                "3.1", "3.2", "3.5", "1.20", "4.16"}
# Zero-trust extras beyond the control ids, each answered by a check.
EXTRAS = {"ec2_sg_data_tier_not_exposed_to_internet_tier", "ec2_sg_no_broad_internal_cidr_ingress", "ec2_sg_no_all_traffic_ingress",
          "ec2_sg_egress_restricted", "iam_role_cross_account_requires_external_id", "iam_role_cross_account_requires_mfa",
          "iam_user_no_long_lived_keys", "iam_role_short_sessions", "iam_user_destructive_actions_require_mfa",
          "organizations_scp_deny_leave_organization", "organizations_scp_region_restriction", "vpc_s3_endpoint",
          "ec2_instance_imdsv2_required", "secretsmanager_secret_rotation_enabled", "secretsmanager_secret_cmk"}


def test_at_least_forty_checks_with_unique_ids() -> None:
    ids = [c.id for c in all_checks()]
    assert len(ids) >= 40
    assert len(ids) == len(set(ids))


def test_every_criterion_has_a_check() -> None:
    fsbp = {x for c in all_checks() for x in c.metadata.controls.fsbp}
    cis = {x for c in all_checks() for x in c.metadata.controls.cis}
    assert CRITERIA_FSBP - fsbp == set()
    assert CRITERIA_CIS - cis == set()
    assert EXTRAS - {c.id for c in all_checks()} == set()


def test_every_principle_is_covered() -> None:
    assert {c.metadata.principle for c in all_checks()} == set(PRINCIPLES)


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.id)
def test_every_check_has_pass_and_fail_fixtures(check) -> None:
    statuses = {s for case in ALL_CASES if case.check_id == check.id for s in case.expect.values()}
    if check.id in DEDICATED_FIXTURES:
        import inspect

        source = inspect.getsource(DEDICATED_FIXTURES[check.id])
        statuses |= {s for s in ("PASS", "FAIL") if check.id in source and f'"{s}"' in source}
    assert {"PASS", "FAIL"} <= statuses, f"{check.id} lacks a {'PASS' if 'PASS' not in statuses else 'FAIL'} fixture"


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.id)
def test_metadata_is_complete(check) -> None:
    m = check.metadata
    assert m.domain and m.service and m.title and m.rationale
    assert "aws " in m.remediation.cli and len(m.remediation.console) > 20
    assert check.__module__.endswith("." + m.id)


def test_filters() -> None:
    high = select_checks(min_severity="high")
    assert high and all(severity_rank(c.metadata.severity) >= severity_rank("high") for c in high)
    segmentation = select_checks(principles=["micro-segmentation"])
    assert segmentation and {c.metadata.principle for c in segmentation} == {"micro-segmentation"}
    assert [c.id for c in select_checks(ids=["s3_bucket_requires_tls"])] == ["s3_bucket_requires_tls"]
    with pytest.raises(UnknownCheck, match="s3_bucket_requires_tls"):
        get_check("s3_bucket_require_tls")
