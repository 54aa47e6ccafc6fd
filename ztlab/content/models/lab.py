"""A hands-on lab: `labs/<lab-id>/lab.yaml`.

Setup is declarative where it can be: a list of API calls (`service.operation` with boto3 arguments)
whose results can be saved under a name and referred to later as `${name}`. A Python module in the
lab folder (`setup.py` with `setup(ctx)`, `solution.py` with `solve(ctx)`) covers what steps cannot
say; a lab pack from outside the built-in course runs Python only with `--trust-code`.

Objectives come in three kinds: `check` (a library check scoped to the lab's resources), `access`
(requests a principal must be allowed or denied, decided by the policy engine over the account's
real policies) and `reachability` (traffic between security groups that must or must not flow).
`still_works: true` marks an objective that guards against a fix that locks everything down.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from ztlab.content.models.common import ContentId, ContentModel, Text
from ztlab.content.models.variants import LabVariants
from ztlab.principles import Principle

Service = Literal[
    "iam", "sts", "s3", "s3control", "ec2", "kms", "rds", "cloudtrail", "guardduty", "securityhub",
    "config", "cloudwatch", "logs", "sns", "secretsmanager", "cognito-idp", "organizations", "events",
]


class ApiCall(ContentModel):
    """One API call. Strings may hold `${name}` references; a mapping `{$json: {...}}` becomes JSON text."""

    call: str = Field(pattern=r"^[a-z0-9-]+\.[a-z][a-z0-9_]*$", description="service.operation, e.g. s3.create_bucket")
    args: dict[str, Any] = Field(default_factory=dict)
    save: dict[str, str] = Field(default_factory=dict, description="name -> JMESPath into the response")
    ignore_errors: list[str] = Field(default_factory=list, description="Error codes that do not stop the lab.")


class CheckObjective(ContentModel):
    id: str = Field(description="A check id from `ztlab audit checks`.")
    resources: list[str] = Field(default_factory=list, description="Restrict the check to these ARNs / names.")
    absent: Literal["fail", "pass"] = Field(
        "fail", description="The verdict when none of the resources exists any more: `pass` where deleting the "
        "resource is a valid fix (a deleted user holds no access key).")


class AccessRequest(ContentModel):
    action: str
    resource: str
    context: dict[str, Any] = Field(default_factory=dict)
    caller: str | None = Field(None, description="Another principal ARN for this request (default: the objective's).")


class AccessObjective(ContentModel):
    principal: str = Field(description="The ARN whose access is asked about; `${account}` and saved names work.")
    allowed: list[AccessRequest] = Field(default_factory=list)
    denied: list[AccessRequest] = Field(default_factory=list)
    session_policy: str | None = Field(
        None, description="A session policy the learner writes: a JSON file, relative to the lab workspace "
        "(`ztlab lab start` prints where it is). It limits every request of this objective, as the policy "
        "passed to sts:AssumeRole would.")
    scp_account: str | None = Field(
        None, description="Ask as a principal of this organisation member account whose own policies allow "
        "everything: only the SCPs on the account's path (root, OUs, account) decide. `${name}` references work.")

    @model_validator(mode="after")
    def _has_requests(self) -> "AccessObjective":
        if not self.allowed and not self.denied:
            raise ValueError("an access objective needs at least one request under `allowed` or `denied`")
        return self


class Flow(ContentModel):
    source: str = Field(description="A security group id (`${app_sg}`) or a CIDR such as 0.0.0.0/0.")
    target: str = Field(description="The security group receiving the traffic.")
    port: int = Field(ge=0, le=65535)
    protocol: Literal["tcp", "udp", "icmp"] = "tcp"
    expect: Literal["open", "closed"]


class ReachabilityObjective(ContentModel):
    flows: list[Flow] = Field(min_length=1)


class Objective(ContentModel):
    id: ContentId
    title: Text
    points: int = Field(default=1, ge=0)
    principle: Principle | None = Field(None, description="Why this matters; defaults to the lab's first principle.")
    hints: list[Text] = Field(default_factory=list, description="A ladder: the first nudges, the last nearly solves.")
    still_works: bool = Field(False, description="Guards against a fix that breaks what must keep working.")
    check: CheckObjective | None = None
    access: AccessObjective | None = None
    reachability: ReachabilityObjective | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> "Objective":
        kinds = [k for k in ("check", "access", "reachability") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"an objective needs exactly one of `check`, `access` or `reachability` (found {kinds or 'none'})")
        return self


class Lab(ContentModel):
    id: ContentId
    title: Text
    principles: list[Principle] = Field(min_length=1)
    difficulty: Literal["intro", "intermediate", "advanced"]
    minutes: int = Field(ge=1)
    briefing: Text = Field(description="Markdown: the story, the task, and what the grader looks at.")
    services: list[Service] = Field(default_factory=list, description="Services the lab uses (LocalStack support is judged from these).")
    lessons: list[ContentId] = Field(default_factory=list)
    cards: list[ContentId] = Field(default_factory=list)
    setup: list[ApiCall] = Field(default_factory=list)
    solution: list[ApiCall] = Field(default_factory=list, description="The reference solution as API calls (or solution.py).")
    objectives: list[Objective] = Field(min_length=1)
    variants: LabVariants | None = Field(None, description="Per-learner names and CIDRs (workshops).")
