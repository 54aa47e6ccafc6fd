"""Zero-trust checks over an account snapshot, one small module per check, grouped by domain.

    from ztlab.checks import all_checks, get_check, select_checks, run_checks
    findings = get_check("s3_bucket_requires_tls").run(snapshot, scope=["my-bucket"])
"""

from ztlab.checks.base import Check
from ztlab.checks.model import SEVERITIES, STATUSES, CheckMetadata, Controls, Finding, Remediation, severity_rank
from ztlab.checks.registry import CatalogueError, UnknownCheck, all_checks, get_check, run_checks, select_checks

__all__ = [
    "SEVERITIES",
    "STATUSES",
    "CatalogueError",
    "Check",
    "CheckMetadata",
    "Controls",
    "Finding",
    "Remediation",
    "UnknownCheck",
    "all_checks",
    "get_check",
    "run_checks",
    "select_checks",
    "severity_rank",
]
