"""What a check is (validated metadata) and what it says (findings)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ztlab.principles import PRINCIPLES

Severity = Literal["informational", "low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("informational", "low", "medium", "high", "critical")
Status = Literal["PASS", "FAIL", "UNKNOWN", "NOT_APPLICABLE"]
STATUSES: tuple[str, ...] = ("FAIL", "UNKNOWN", "PASS", "NOT_APPLICABLE")

CHECK_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Remediation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    cli: str = Field(min_length=10, description="aws CLI command(s) that fix it, with placeholders in <angle brackets>")
    console: str = Field(min_length=10, description="what to click in the AWS console")


class Controls(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fsbp: tuple[str, ...] = ()  # AWS Foundational Security Best Practices (Security Hub), e.g. "S3.5"
    cis: tuple[str, ...] = ()  # CIS AWS Foundations Benchmark, e.g. "2.1.1"


class CheckMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str = Field(min_length=8)
    domain: str = ""  # the folder the check lives in; filled in by the registry
    service: str
    principle: str
    severity: Severity
    rationale: str = Field(min_length=20)
    remediation: Remediation
    controls: Controls = Controls()

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not CHECK_ID.match(value):
            raise ValueError(f"check id {value!r} must be lowercase words joined by underscores, like s3_bucket_requires_tls")
        return value

    @field_validator("principle")
    @classmethod
    def _principle(cls, value: str) -> str:
        if value not in PRINCIPLES:
            raise ValueError(f"principle {value!r} is not one of {', '.join(PRINCIPLES)}")
        return value


class Finding(BaseModel):
    """One verdict of one check on one resource."""

    model_config = ConfigDict(extra="forbid")
    check_id: str
    title: str
    principle: str
    severity: Severity
    status: Status
    resource: str  # an ARN
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    # Other names the resource answers to (bucket name, group id...): used by `scope`, not reported.
    resource_ids: list[str] = Field(default_factory=list, exclude=True)

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"

    def report_dict(self) -> dict[str, Any]:
        """The stable shape every machine-readable report uses."""
        return {
            "check_id": self.check_id,
            "title": self.title,
            "principle": self.principle,
            "severity": self.severity,
            "status": self.status,
            "resource": self.resource,
            "message": self.message,
            "evidence": self.evidence,
        }
