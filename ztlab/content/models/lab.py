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
    each: bool = Field(
        False, description="Every listed resource must be judged and pass: one the check finds not applicable "
        "(an engineer whose console password was deleted instead of enrolled in MFA) fails.")


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
    absent: Literal["fail", "pass"] = Field(
        "fail", description="The verdict when the principal no longer exists: `pass` only where deleting it is a valid "
        "fix (a deleted user can do nothing). Otherwise a missing principal fails, never passes vacuously.")

    @model_validator(mode="after")
    def _has_requests(self) -> "AccessObjective":
        if not self.allowed and not self.denied:
            raise ValueError("an access objective needs at least one request under `allowed` or `denied`")
        return self


class ExactAccessObjective(ContentModel):
    """The whole intended access of a principal, proved equal to its effective access (see
    ztlab.labs.objectives.exact): nothing outside `required + permitted` is allowed, all of `required` is."""

    principal: str = Field(description="The ARN whose access is proved; `${account}` and saved names work.")
    services: list[str] = Field(default_factory=list, description="Service prefixes whose every catalogue action is asked.")
    actions: list[str] = Field(default_factory=list, description="Action patterns asked besides (or instead of) whole services.")
    required: list[dict[str, Any]] = Field(default_factory=list, description="IAM statements: access the job needs.")
    permitted: list[dict[str, Any]] = Field(default_factory=list, description="IAM statements: also acceptable, not needed.")
    callers: list[str] = Field(default_factory=list, description="Other principals whose access is proved the same way.")
    resources: list[str] = Field(default_factory=list, description="Extra resource ARNs or patterns to ask about.")
    context: dict[str, Any] = Field(default_factory=dict, description="Keys fixed in every request (null = absent).")
    session_policy: str | None = Field(None, description="As for `access`: a session policy file in the lab workspace.")
    scp_account: str | None = Field(None, description="As for `access`: ask as a member account's administrator.")
    absent: Literal["fail", "pass"] = Field("fail", description="As for `access`: `pass` only where deleting the principal is a valid fix.")

    @model_validator(mode="after")
    def _has_intent(self) -> "ExactAccessObjective":
        if not self.required and not self.permitted:
            raise ValueError("an exact access objective needs `required` or `permitted` statements (the intent)")
        if not self.services and not self.actions:
            raise ValueError("an exact access objective needs `services` or `actions`: what to ask about")
        return self


class Flow(ContentModel):
    source: str = Field(description="A security group id (`${app_sg}`) or a CIDR such as 0.0.0.0/0.")
    target: str = Field(description="The security group receiving the traffic (or `rds:<identifier>`, a database's groups).")
    port: int = Field(ge=0, le=65535)
    protocol: Literal["tcp", "udp", "icmp", "icmpv6"] = "tcp"
    expect: Literal["open", "closed"]


class IntendedFlow(ContentModel):
    source: str = Field(description="A security group id, `rds:<identifier>`, or a CIDR (0.0.0.0/0, ::/0, 10.0.0.0/16).")
    target: str = Field(description="A security group id, `rds:<identifier>`, or a CIDR (for traffic a tier sends out).")
    ports: int | str = Field(description="A port (443), a range (\"1024-65535\") or \"all\"; for ICMP the type.")
    protocol: Literal["tcp", "udp", "icmp", "icmpv6"] = "tcp"
    required: bool = Field(True, description="The flow must exist; `false`: it may exist (an optional extra).")


class ExactReachability(ContentModel):
    """The whole intended traffic of some tiers: any other flow into (or out of) them fails, as does a missing one."""

    subjects: list[str] = Field(min_length=1, description="Security group ids or `rds:<identifier>` whose traffic is stated in full.")
    direction: Literal["inbound", "outbound", "both"] = Field(
        "both", description="Judge the flows into the subjects, out of them, or both.")
    flows: list[IntendedFlow] = Field(default_factory=list)


class ServiceRoute(ContentModel):
    subnet: str = Field(description="A subnet id (`${subnet_a}`).")
    service: Literal["s3", "dynamodb"] = "s3"
    through: str = Field(description="The gateway endpoint its traffic to the service must take, and no other.")


class ReachabilityObjective(ContentModel):
    flows: list[Flow] = Field(default_factory=list, description="Sampled flows that must be open or closed.")
    exactly: ExactReachability | None = Field(None, description="The subjects' flows, stated exactly.")
    routes: list[ServiceRoute] = Field(default_factory=list, description="Subnets whose service traffic must take an endpoint.")
    placement: dict[str, list[str]] = Field(default_factory=dict, description=(
        "Security group id (or `rds:<identifier>`) -> the subnets its members sit in, as the briefing states; "
        "members the account shows elsewhere count too, and a tier with neither may sit in any subnet of its VPC."))

    @model_validator(mode="after")
    def _has_flows(self) -> "ReachabilityObjective":
        if not self.flows and self.exactly is None and not self.routes:
            raise ValueError("a reachability objective needs `flows`, `exactly` or `routes`")
        return self


class WholeScopeObjective(ContentModel):
    """Every critical catalogue check of the lab's services plus the lab's own `checks`, over every resource
    in the account (what the lab made and whatever the learner made): any FAIL fails the objective."""

    services: list[str] = Field(default_factory=list, description="Check services to run (default: the lab's services).")
    checks: list[str] = Field(default_factory=list, description="Checks run besides every critical one (the lab's topic).")
    skip: dict[str, str] = Field(default_factory=dict, description="check id -> why it does not apply to this lab.")
    subjects: list[str] = Field(default_factory=list, description="ARNs or `${names}` that must exist for a verdict.")


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
    exact: ExactAccessObjective | None = None
    nothing_new_insecure: "WholeScopeObjective | None" = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> "Objective":
        kinds = [k for k in ("check", "access", "reachability", "exact", "nothing_new_insecure") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("an objective needs exactly one of `check`, `access`, `reachability`, `exact` or "
                             f"`nothing_new_insecure` (found {kinds or 'none'})")
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
