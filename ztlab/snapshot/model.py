"""The account snapshot: everything the checks need, read once, JSON all the way down.

Entities keep the shapes the AWS APIs return (documented, stable, and what a learner sees in the
`aws` CLI), wrapped in typed models that say what was read and what could not be. A read that
failed is never an empty list: the section's `error` or the item's `errors[field]` holds the reason,
so a check can answer UNKNOWN instead of passing on missing data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

SNAPSHOT_FORMAT = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Section(_Model):
    """One service. `error` set means the service itself could not be read at all."""

    error: str | None = None
    errors: dict[str, str] = Field(default_factory=dict)  # part name -> why it could not be read

    def unreadable(self, part: str | None = None) -> str | None:
        """Why this section (or one part of it) could not be read; None when it was read."""
        if self.error:
            return self.error
        if part is not None:
            return self.errors.get(part)
        return None


class Item(_Model):
    errors: dict[str, str] = Field(default_factory=dict)  # attribute -> why it could not be read


# ---------------------------------------------------------------- IAM
class AttachedPolicy(_Model):
    arn: str
    name: str


class AccessKey(_Model):
    id: str
    status: str
    created: str | None = None
    last_used: str | None = None
    last_used_service: str | None = None


class IamUser(Item):
    name: str
    arn: str
    id: str = ""
    created: str | None = None
    password_last_used: str | None = None
    groups: list[str] = Field(default_factory=list)
    attached_policies: list[AttachedPolicy] = Field(default_factory=list)
    inline_policies: dict[str, Any] = Field(default_factory=dict)
    permissions_boundary: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    mfa_devices: list[str] = Field(default_factory=list)
    access_keys: list[AccessKey] = Field(default_factory=list)


class IamGroup(Item):
    name: str
    arn: str
    attached_policies: list[AttachedPolicy] = Field(default_factory=list)
    inline_policies: dict[str, Any] = Field(default_factory=dict)


class IamRole(Item):
    name: str
    arn: str
    path: str = "/"
    trust_policy: Any = None
    attached_policies: list[AttachedPolicy] = Field(default_factory=list)
    inline_policies: dict[str, Any] = Field(default_factory=dict)
    permissions_boundary: str | None = None
    max_session_duration: int | None = None
    tags: dict[str, str] = Field(default_factory=dict)


class ManagedPolicy(Item):
    arn: str
    name: str
    aws_managed: bool = False
    default_version_id: str | None = None
    document: Any = None  # the default version's document
    attachment_count: int = 0


class IamSection(Section):
    users: list[IamUser] = Field(default_factory=list)
    groups: list[IamGroup] = Field(default_factory=list)
    roles: list[IamRole] = Field(default_factory=list)
    policies: list[ManagedPolicy] = Field(default_factory=list)
    password_policy: dict[str, Any] | None = None  # None with no error: the account has none
    credential_report: list[dict[str, str]] = Field(default_factory=list)
    account_summary: dict[str, int] = Field(default_factory=dict)
    virtual_mfa_devices: list[dict[str, Any]] = Field(default_factory=list)

    def policy(self, arn: str) -> ManagedPolicy | None:
        return next((p for p in self.policies if p.arn == arn), None)

    def user(self, name: str) -> IamUser | None:
        return next((u for u in self.users if u.name == name), None)

    def group(self, name: str) -> IamGroup | None:
        return next((g for g in self.groups if g.name == name), None)


# ---------------------------------------------------------------- EC2 / VPC
class Ec2Section(Section):
    vpcs: list[dict[str, Any]] = Field(default_factory=list)
    subnets: list[dict[str, Any]] = Field(default_factory=list)
    security_groups: list[dict[str, Any]] = Field(default_factory=list)
    network_acls: list[dict[str, Any]] = Field(default_factory=list)
    vpc_endpoints: list[dict[str, Any]] = Field(default_factory=list)
    route_tables: list[dict[str, Any]] = Field(default_factory=list)
    # Managed prefix lists named by security-group rules, each with its `Entries` (Cidr, Description).
    prefix_lists: list[dict[str, Any]] = Field(default_factory=list)
    flow_logs: list[dict[str, Any]] = Field(default_factory=list)
    ebs_encryption_by_default: bool | None = None
    ebs_default_kms_key_id: str | None = None
    volumes: list[dict[str, Any]] = Field(default_factory=list)
    instances: list[dict[str, Any]] = Field(default_factory=list)

    def security_group(self, group_id: str) -> dict[str, Any] | None:
        return next((g for g in self.security_groups if g.get("GroupId") == group_id), None)

    def vpc(self, vpc_id: str) -> dict[str, Any] | None:
        return next((v for v in self.vpcs if v.get("VpcId") == vpc_id), None)

    def prefix_list(self, prefix_list_id: str) -> dict[str, Any] | None:
        return next((p for p in self.prefix_lists if p.get("PrefixListId") == prefix_list_id), None)


# ---------------------------------------------------------------- S3
class S3Bucket(Item):
    name: str
    arn: str
    region: str | None = None
    created: str | None = None
    encryption: dict[str, Any] | None = None  # ServerSideEncryptionConfiguration; None = none set
    policy: str | None = None  # the policy text exactly as stored; None = no policy
    public_access_block: dict[str, Any] | None = None
    versioning: dict[str, Any] = Field(default_factory=dict)
    acl: dict[str, Any] | None = None
    ownership: dict[str, Any] | None = None
    logging: dict[str, Any] | None = None


class S3Section(Section):
    buckets: list[S3Bucket] = Field(default_factory=list)
    account_public_access_block: dict[str, Any] | None = None

    def bucket(self, name: str) -> S3Bucket | None:
        return next((b for b in self.buckets if b.name == name), None)


# ---------------------------------------------------------------- KMS
class KmsKey(Item):
    key_id: str
    arn: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    policy: str | None = None
    rotation_enabled: bool | None = None
    aliases: list[str] = Field(default_factory=list)

    @property
    def customer_managed(self) -> bool:
        return self.metadata.get("KeyManager") == "CUSTOMER"


class KmsSection(Section):
    keys: list[KmsKey] = Field(default_factory=list)

    def find(self, reference: str | None) -> KmsKey | None:
        """A key by id, key ARN, alias name (`alias/x`) or alias ARN."""
        if not reference:
            return None
        for key in self.keys:
            if reference in (key.key_id, key.arn):
                return key
            for alias in key.aliases:
                if reference == alias or reference.endswith(":" + alias):
                    return key
        return None


# ---------------------------------------------------------------- others
class RdsSection(Section):
    instances: list[dict[str, Any]] = Field(default_factory=list)
    snapshots: list[dict[str, Any]] = Field(default_factory=list)
    parameter_groups: dict[str, dict[str, str | None]] = Field(default_factory=dict)


class Trail(Item):
    trail: dict[str, Any]
    status: dict[str, Any] | None = None
    event_selectors: dict[str, Any] | None = None

    @property
    def arn(self) -> str:
        return self.trail.get("TrailARN", "")


class CloudTrailSection(Section):
    trails: list[Trail] = Field(default_factory=list)


class GuardDutySection(Section):
    detectors: list[dict[str, Any]] = Field(default_factory=list)


class SecurityHubSection(Section):
    hub: dict[str, Any] | None = None  # None with no error: not enabled
    standards: list[dict[str, Any]] = Field(default_factory=list)


class ConfigSection(Section):
    recorders: list[dict[str, Any]] = Field(default_factory=list)
    recorder_statuses: list[dict[str, Any]] = Field(default_factory=list)
    delivery_channels: list[dict[str, Any]] = Field(default_factory=list)


class CloudWatchSection(Section):
    alarms: list[dict[str, Any]] = Field(default_factory=list)
    metric_filters: list[dict[str, Any]] = Field(default_factory=list)


class SnsTopic(Item):
    arn: str
    attributes: dict[str, str] = Field(default_factory=dict)
    subscriptions: list[dict[str, Any]] = Field(default_factory=list)


class SnsSection(Section):
    topics: list[SnsTopic] = Field(default_factory=list)


class SecretsSection(Section):
    secrets: list[dict[str, Any]] = Field(default_factory=list)


class CognitoSection(Section):
    user_pools: list[dict[str, Any]] = Field(default_factory=list)  # DescribeUserPool + "MfaConfig"


class OrganizationsSection(Section):
    organization: dict[str, Any] | None = None  # None with no error: not in an organization
    policies: list[dict[str, Any]] = Field(default_factory=list)  # {"PolicySummary", "Content", "Targets"}
    account_path: list[str] = Field(default_factory=list)  # root id, OU ids..., this account's id
    account_paths: dict[str, list[str]] = Field(default_factory=dict)  # every member account id -> its path


class AccessAnalyzerSection(Section):
    analyzers: list[dict[str, Any]] = Field(default_factory=list)


class AccountSnapshot(_Model):
    format: int = SNAPSHOT_FORMAT
    account_id: str
    region: str
    taken_at: str = ""
    endpoint_url: str | None = None
    read_seconds: float | None = None
    iam: IamSection = Field(default_factory=IamSection)
    ec2: Ec2Section = Field(default_factory=Ec2Section)
    s3: S3Section = Field(default_factory=S3Section)
    kms: KmsSection = Field(default_factory=KmsSection)
    rds: RdsSection = Field(default_factory=RdsSection)
    cloudtrail: CloudTrailSection = Field(default_factory=CloudTrailSection)
    guardduty: GuardDutySection = Field(default_factory=GuardDutySection)
    securityhub: SecurityHubSection = Field(default_factory=SecurityHubSection)
    config: ConfigSection = Field(default_factory=ConfigSection)
    cloudwatch: CloudWatchSection = Field(default_factory=CloudWatchSection)
    sns: SnsSection = Field(default_factory=SnsSection)
    secretsmanager: SecretsSection = Field(default_factory=SecretsSection)
    cognito: CognitoSection = Field(default_factory=CognitoSection)
    organizations: OrganizationsSection = Field(default_factory=OrganizationsSection)
    accessanalyzer: AccessAnalyzerSection = Field(default_factory=AccessAnalyzerSection)

    SERVICES: ClassVar[tuple[str, ...]] = (
        "iam", "ec2", "s3", "kms", "rds", "cloudtrail", "guardduty", "securityhub", "config",
        "cloudwatch", "sns", "secretsmanager", "cognito", "organizations", "accessanalyzer",
    )

    @property
    def account_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:root"

    def unreadable(self) -> list[tuple[str, str]]:
        """Every (what, why) that could not be read, for reports and debugging."""
        out: list[tuple[str, str]] = []
        for name in self.SERVICES:
            section: Section = getattr(self, name)
            if section.error:
                out.append((name, section.error))
            out.extend((f"{name}.{part}", why) for part, why in section.errors.items())
            for value in section.__dict__.values():
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, Item):
                            label = getattr(item, "name", None) or getattr(item, "arn", None) or getattr(item, "key_id", "")
                            out.extend((f"{name}.{label}.{part}", why) for part, why in item.errors.items())
        return out

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.model_dump_json(indent=1), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "AccountSnapshot":
        """Load a saved snapshot; SnapshotError with the file and reason when it is not one."""
        from ztlab.untrusted.json_input import JSONInputError, load_untrusted

        path = Path(path)
        try:
            raw = load_untrusted(path)
        except JSONInputError as exc:
            raise SnapshotError(f"{exc.where}: not a usable snapshot: {exc.problem}") from None
        return cls.from_dict(raw, source=str(path))

    @classmethod
    def from_dict(cls, raw: Any, *, source: str = "snapshot") -> "AccountSnapshot":
        from pydantic import ValidationError

        if not isinstance(raw, dict):
            raise SnapshotError(f"{source}: a snapshot is a JSON object, got {type(raw).__name__}")
        found = raw.get("format", SNAPSHOT_FORMAT)
        if type(found) is not type(SNAPSHOT_FORMAT) or found != SNAPSHOT_FORMAT:
            # json.dumps shows what was found as written: "1" (a string) is not 1.
            raise SnapshotError(f"{source}: snapshot \"format\" is {json.dumps(found)[:40]}; this ztlab reads "
                                f"\"format\": {json.dumps(SNAPSHOT_FORMAT)}")
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "/".join(str(p) for p in first["loc"])
            raise SnapshotError(f"{source}: not a ztlab snapshot: at /{where}: {first['msg']}") from exc


class SnapshotError(Exception):
    """A snapshot file that cannot be used; the message says which file and why."""
