"""One reader per service. Each fills its section of the snapshot and records what it could not read."""

from __future__ import annotations

import time
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from ztlab.snapshot.model import (
    AccessKey,
    AccountSnapshot,
    AttachedPolicy,
    IamGroup,
    IamRole,
    IamUser,
    KmsKey,
    ManagedPolicy,
    S3Bucket,
    SnsTopic,
    Trail,
)
from ztlab.snapshot.calls import attempt, clean, error_code, paginate, parse_credential_report, pmap, reason

Get = Callable[[str], Any]


def _attached(items: list[dict[str, Any]]) -> list[AttachedPolicy]:
    return [AttachedPolicy(arn=a["PolicyArn"], name=a.get("PolicyName", a["PolicyArn"].rsplit("/", 1)[-1])) for a in items or []]


def _inline(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {p["PolicyName"]: clean(p.get("PolicyDocument")) for p in items or []}


def _tags(items: list[dict[str, Any]] | None) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in items or []}


def _default_document(versions: list[dict[str, Any]]) -> Any:
    return next((clean(v.get("Document")) for v in versions or [] if v.get("IsDefaultVersion")), None)


# ---------------------------------------------------------------- IAM
def read_iam(get: Get, snap: AccountSnapshot) -> None:
    iam = get("iam")
    sec = snap.iam
    details: dict[str, list[Any]] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    # AWS managed policies number in the hundreds: only those attached to something are read below.
    for page in iam.get_paginator("get_account_authorization_details").paginate(
        Filter=["User", "Role", "Group", "LocalManagedPolicy"]
    ):
        for key in details:
            details[key].extend(page.get(key, []))

    for u in details["UserDetailList"]:
        sec.users.append(IamUser(
            name=u["UserName"], arn=u["Arn"], id=u.get("UserId", ""), created=clean(u.get("CreateDate")),
            groups=list(u.get("GroupList", [])), attached_policies=_attached(u.get("AttachedManagedPolicies")),
            inline_policies=_inline(u.get("UserPolicyList")),
            permissions_boundary=(u.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            tags=_tags(u.get("Tags")),
        ))
    for g in details["GroupDetailList"]:
        sec.groups.append(IamGroup(
            name=g["GroupName"], arn=g["Arn"], attached_policies=_attached(g.get("AttachedManagedPolicies")),
            inline_policies=_inline(g.get("GroupPolicyList")),
        ))
    for r in details["RoleDetailList"]:
        sec.roles.append(IamRole(
            name=r["RoleName"], arn=r["Arn"], path=r.get("Path", "/"), trust_policy=clean(r.get("AssumeRolePolicyDocument")),
            attached_policies=_attached(r.get("AttachedManagedPolicies")), inline_policies=_inline(r.get("RolePolicyList")),
            permissions_boundary=(r.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
            max_session_duration=r.get("MaxSessionDuration"), tags=_tags(r.get("Tags")),
        ))
    for p in details["Policies"]:
        sec.policies.append(ManagedPolicy(
            arn=p["Arn"], name=p.get("PolicyName") or p["Arn"].rsplit("/", 1)[-1], aws_managed=p["Arn"].startswith("arn:aws:iam::aws:"),
            default_version_id=p.get("DefaultVersionId"), document=_default_document(p.get("PolicyVersionList")),
            attachment_count=p.get("AttachmentCount", 0),
        ))

    known = {p.arn for p in sec.policies}
    attached = {a.arn for x in (*sec.users, *sec.groups, *sec.roles) for a in x.attached_policies}
    attached |= {x.permissions_boundary for x in (*sec.users, *sec.roles) if x.permissions_boundary}
    pmap(lambda arn: _read_aws_policy(iam, arn, sec), sorted(attached - known))

    if any(r.max_session_duration is None for r in sec.roles):
        durations = attempt(sec.errors, "roles.max_session_duration", lambda: {
            r["RoleName"]: r.get("MaxSessionDuration") for r in paginate(iam, "list_roles", "Roles")
        }, default={})
        for role in sec.roles:
            role.max_session_duration = role.max_session_duration or durations.get(role.name)

    pmap(lambda user: _read_user_credentials(iam, user), sec.users)
    sec.password_policy = attempt(
        sec.errors, "password_policy", lambda: clean(iam.get_account_password_policy()["PasswordPolicy"]), absent=("NoSuchEntity",)
    )
    sec.credential_report = attempt(sec.errors, "credential_report", lambda: _credential_report(iam), default=[])
    sec.account_summary = attempt(sec.errors, "account_summary", lambda: iam.get_account_summary()["SummaryMap"], default={})
    sec.virtual_mfa_devices = attempt(
        sec.errors, "virtual_mfa_devices", lambda: clean(paginate(iam, "list_virtual_mfa_devices", "VirtualMFADevices")), default=[]
    )


def _read_aws_policy(iam: Any, arn: str, sec: Any) -> None:
    policy = ManagedPolicy(arn=arn, name=arn.rsplit("/", 1)[-1], aws_managed=arn.startswith("arn:aws:iam::aws:"))
    try:
        meta = iam.get_policy(PolicyArn=arn)["Policy"]
        policy.default_version_id = meta.get("DefaultVersionId")
        policy.attachment_count = meta.get("AttachmentCount", 0)
        version = iam.get_policy_version(PolicyArn=arn, VersionId=policy.default_version_id)["PolicyVersion"]
        policy.document = clean(version.get("Document"))
    except Exception as exc:  # noqa: BLE001
        policy.errors["document"] = reason(exc)
    sec.policies.append(policy)


def _read_user_credentials(iam: Any, user: IamUser) -> None:
    devices = attempt(user.errors, "mfa_devices", lambda: paginate(iam, "list_mfa_devices", "MFADevices", UserName=user.name), default=[])
    user.mfa_devices = [d["SerialNumber"] for d in devices]
    keys = attempt(user.errors, "access_keys", lambda: paginate(iam, "list_access_keys", "AccessKeyMetadata", UserName=user.name), default=[])
    for k in keys:
        key = AccessKey(id=k["AccessKeyId"], status=k.get("Status", ""), created=clean(k.get("CreateDate")))
        used = attempt(user.errors, f"access_key_last_used.{key.id}", lambda: iam.get_access_key_last_used(AccessKeyId=key.id), default={})
        last = (used or {}).get("AccessKeyLastUsed") or {}
        key.last_used = clean(last.get("LastUsedDate"))
        service = last.get("ServiceName")
        key.last_used_service = None if service in (None, "N/A") else service
        user.access_keys.append(key)


def _credential_report(iam: Any) -> list[dict[str, str]]:
    for _ in range(20):
        if iam.generate_credential_report().get("State") == "COMPLETE":
            break
        time.sleep(0.1)
    return parse_credential_report(iam.get_credential_report()["Content"])


# ---------------------------------------------------------------- EC2 / VPC
def read_ec2(get: Get, snap: AccountSnapshot) -> None:
    ec2 = get("ec2")
    sec = snap.ec2
    sec.vpcs = attempt(sec.errors, "vpcs", lambda: clean(paginate(ec2, "describe_vpcs", "Vpcs")), default=[])
    sec.security_groups = attempt(sec.errors, "security_groups", lambda: clean(paginate(ec2, "describe_security_groups", "SecurityGroups")), default=[])
    sec.subnets = attempt(sec.errors, "subnets", lambda: clean(paginate(ec2, "describe_subnets", "Subnets")), default=[])
    sec.network_acls = attempt(sec.errors, "network_acls", lambda: clean(paginate(ec2, "describe_network_acls", "NetworkAcls")), default=[])
    sec.vpc_endpoints = attempt(sec.errors, "vpc_endpoints", lambda: clean(paginate(ec2, "describe_vpc_endpoints", "VpcEndpoints")), default=[])
    sec.route_tables = attempt(sec.errors, "route_tables", lambda: clean(paginate(ec2, "describe_route_tables", "RouteTables")), default=[])
    sec.prefix_lists = attempt(sec.errors, "prefix_lists", lambda: _prefix_lists(ec2, sec.security_groups), default=[])
    sec.flow_logs = attempt(sec.errors, "flow_logs", lambda: clean(paginate(ec2, "describe_flow_logs", "FlowLogs")), default=[])
    sec.ebs_encryption_by_default = attempt(
        sec.errors, "ebs_encryption_by_default", lambda: bool(ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"])
    )
    if sec.ebs_encryption_by_default:  # the default key only matters when default encryption is on
        sec.ebs_default_kms_key_id = attempt(sec.errors, "ebs_default_kms_key_id", lambda: ec2.get_ebs_default_kms_key_id().get("KmsKeyId"))
    sec.volumes = attempt(sec.errors, "volumes", lambda: clean(paginate(ec2, "describe_volumes", "Volumes")), default=[])
    reservations = attempt(sec.errors, "instances", lambda: paginate(ec2, "describe_instances", "Reservations"), default=[])
    sec.instances = [clean(i) for r in reservations for i in r.get("Instances", [])]


def _prefix_lists(ec2: Any, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the lists some rule names: their entries are what the rule trusts (one call per list)."""
    named = sorted({p["PrefixListId"] for g in groups for key in ("IpPermissions", "IpPermissionsEgress")
                    for perm in g.get(key) or [] for p in perm.get("PrefixListIds") or [] if p.get("PrefixListId")})
    if not named:
        return []
    lists = clean(paginate(ec2, "describe_managed_prefix_lists", "PrefixLists", PrefixListIds=named))
    for found in lists:
        found["Entries"] = clean(paginate(ec2, "get_managed_prefix_list_entries", "Entries", PrefixListId=found["PrefixListId"]))
    return lists


# ---------------------------------------------------------------- S3
def read_s3(get: Get, snap: AccountSnapshot) -> None:
    s3 = get("s3")
    sec = snap.s3
    buckets = s3.list_buckets().get("Buckets", [])
    sec.buckets = pmap(lambda b: _read_bucket(s3, b), buckets)
    sec.account_public_access_block = attempt(
        sec.errors, "account_public_access_block",
        lambda: clean(_s3control(get).get_public_access_block(AccountId=snap.account_id)["PublicAccessBlockConfiguration"]),
        absent=("NoSuchPublicAccessBlockConfiguration",),
    )


def _s3control(get: Get) -> Any:
    """s3control puts the account id in front of the endpoint host (`123456789012.127.0.0.1`), which
    never resolves for a loopback sandbox; strip it back to the endpoint's own host before signing."""
    client = get("s3control")
    if not getattr(client, "_ztlab_loopback_host", False):
        client.meta.events.register("before-sign.s3-control.*", _strip_account_host)
        client._ztlab_loopback_host = True
    return client


def _strip_account_host(request: Any, **_: Any) -> None:
    parts = urlsplit(request.url)
    first, _, rest = parts.netloc.partition(".")
    if rest and first.isdigit() and len(first) == 12:
        request.url = urlunsplit(parts._replace(netloc=rest))


def _read_bucket(s3: Any, raw: dict[str, Any]) -> S3Bucket:
    name = raw["Name"]
    b = S3Bucket(name=name, arn=f"arn:aws:s3:::{name}", created=clean(raw.get("CreationDate")))
    e = b.errors
    location = attempt(e, "region", lambda: s3.get_bucket_location(Bucket=name).get("LocationConstraint"))
    b.region = location or ("us-east-1" if "region" not in e else None)
    b.encryption = attempt(
        e, "encryption", lambda: clean(s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]),
        absent=("ServerSideEncryptionConfigurationNotFoundError",),
    )
    b.policy = attempt(e, "policy", lambda: _text(s3.get_bucket_policy(Bucket=name)["Policy"]), absent=("NoSuchBucketPolicy",))
    b.public_access_block = attempt(
        e, "public_access_block", lambda: clean(s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]),
        absent=("NoSuchPublicAccessBlockConfiguration",),
    )
    b.versioning = attempt(e, "versioning", lambda: clean(s3.get_bucket_versioning(Bucket=name)), default={})
    b.acl = attempt(e, "acl", lambda: clean(s3.get_bucket_acl(Bucket=name)))
    b.ownership = attempt(
        e, "ownership", lambda: clean(s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]),
        absent=("OwnershipControlsNotFoundError",),
    )
    b.logging = attempt(e, "logging", lambda: clean(s3.get_bucket_logging(Bucket=name)).get("LoggingEnabled"))
    return b


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "read"):
        return _text(value.read())
    return str(value)


# ---------------------------------------------------------------- KMS
def read_kms(get: Get, snap: AccountSnapshot) -> None:
    kms = get("kms")
    sec = snap.kms
    aliases = attempt(sec.errors, "aliases", lambda: paginate(kms, "list_aliases", "Aliases"), default=[])
    keys = paginate(kms, "list_keys", "Keys")

    def one(k: dict[str, Any]) -> KmsKey:
        key = KmsKey(key_id=k["KeyId"], arn=k.get("KeyArn", ""))
        key.aliases = [a["AliasName"] for a in aliases if a.get("TargetKeyId") == key.key_id]
        key.metadata = attempt(key.errors, "metadata", lambda: clean(kms.describe_key(KeyId=key.key_id)["KeyMetadata"]), default={})
        key.arn = key.arn or key.metadata.get("Arn", "")
        key.policy = attempt(key.errors, "policy", lambda: kms.get_key_policy(KeyId=key.key_id, PolicyName="default")["Policy"])
        if key.metadata.get("KeyManager") == "AWS":
            key.rotation_enabled = True  # AWS rotates its own managed keys every year
        elif key.metadata.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT" and key.metadata.get("Origin", "AWS_KMS") == "AWS_KMS":
            key.rotation_enabled = attempt(
                key.errors, "rotation", lambda: bool(kms.get_key_rotation_status(KeyId=key.key_id)["KeyRotationEnabled"])
            )
        return key

    sec.keys = pmap(one, keys)


# ---------------------------------------------------------------- RDS
def read_rds(get: Get, snap: AccountSnapshot) -> None:
    rds = get("rds")
    sec = snap.rds
    sec.instances = clean(paginate(rds, "describe_db_instances", "DBInstances"))
    sec.snapshots = attempt(sec.errors, "snapshots", lambda: clean(paginate(rds, "describe_db_snapshots", "DBSnapshots")), default=[])
    names = sorted({g["DBParameterGroupName"] for i in sec.instances for g in i.get("DBParameterGroups", [])})

    def params(name: str) -> None:
        values = attempt(sec.errors, f"parameter_groups.{name}", lambda: paginate(rds, "describe_db_parameters", "Parameters", DBParameterGroupName=name))
        if values is not None:
            sec.parameter_groups[name] = {p["ParameterName"]: p.get("ParameterValue") for p in values if "ParameterValue" in p}

    pmap(params, names)


# ---------------------------------------------------------------- CloudTrail
def read_cloudtrail(get: Get, snap: AccountSnapshot) -> None:
    ct = get("cloudtrail")
    trails = ct.describe_trails(includeShadowTrails=True).get("trailList", [])
    seen: set[str] = set()

    def one(raw: dict[str, Any]) -> Trail:
        trail = Trail(trail=clean(raw))
        arn = raw.get("TrailARN") or raw.get("Name")
        trail.status = attempt(trail.errors, "status", lambda: clean(ct.get_trail_status(Name=arn)))
        trail.event_selectors = attempt(trail.errors, "event_selectors", lambda: clean(ct.get_event_selectors(TrailName=arn)))
        return trail

    unique = [t for t in trails if not (t.get("TrailARN") in seen or seen.add(t.get("TrailARN")))]
    snap.cloudtrail.trails = pmap(one, unique)


# ---------------------------------------------------------------- detection services
def read_guardduty(get: Get, snap: AccountSnapshot) -> None:
    gd = get("guardduty")
    ids = paginate(gd, "list_detectors", "DetectorIds")
    snap.guardduty.detectors = [dict(clean(gd.get_detector(DetectorId=i)), DetectorId=i) for i in ids]


def read_securityhub(get: Get, snap: AccountSnapshot) -> None:
    sh = get("securityhub")
    sec = snap.securityhub
    try:
        sec.hub = clean(sh.describe_hub())
    except Exception as exc:  # noqa: BLE001
        if error_code(exc) in ("InvalidAccessException", "ResourceNotFoundException"):
            sec.hub = None
            return
        raise
    sec.standards = attempt(sec.errors, "standards", lambda: clean(sh.get_enabled_standards().get("StandardsSubscriptions", [])), default=[])


def read_config(get: Get, snap: AccountSnapshot) -> None:
    cfg = get("config")
    sec = snap.config
    sec.recorders = clean(cfg.describe_configuration_recorders().get("ConfigurationRecorders", []))
    sec.recorder_statuses = attempt(
        sec.errors, "recorder_statuses", lambda: clean(cfg.describe_configuration_recorder_status().get("ConfigurationRecordersStatus", [])), default=[]
    )
    sec.delivery_channels = attempt(
        sec.errors, "delivery_channels", lambda: clean(cfg.describe_delivery_channels().get("DeliveryChannels", [])), default=[]
    )


def read_cloudwatch(get: Get, snap: AccountSnapshot) -> None:
    sec = snap.cloudwatch
    sec.alarms = attempt(sec.errors, "alarms", lambda: clean(paginate(get("cloudwatch"), "describe_alarms", "MetricAlarms")), default=[])
    sec.metric_filters = attempt(
        sec.errors, "metric_filters", lambda: clean(paginate(get("logs"), "describe_metric_filters", "metricFilters")), default=[]
    )


def read_sns(get: Get, snap: AccountSnapshot) -> None:
    sns = get("sns")
    arns = [t["TopicArn"] for t in paginate(sns, "list_topics", "Topics")]

    def one(arn: str) -> SnsTopic:
        topic = SnsTopic(arn=arn)
        topic.attributes = attempt(topic.errors, "attributes", lambda: sns.get_topic_attributes(TopicArn=arn)["Attributes"], default={})
        topic.subscriptions = attempt(
            topic.errors, "subscriptions", lambda: clean(paginate(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)), default=[]
        )
        return topic

    snap.sns.topics = pmap(one, arns)


def read_secretsmanager(get: Get, snap: AccountSnapshot) -> None:
    sm = get("secretsmanager")
    secrets = clean(paginate(sm, "list_secrets", "SecretList"))

    def with_policy(secret: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        policy = attempt(errors, "resource_policy", lambda: sm.get_resource_policy(SecretId=secret["ARN"]).get("ResourcePolicy"))
        if policy:
            secret["ResourcePolicy"] = policy
        if errors:
            secret["ztlabErrors"] = errors
        return secret

    snap.secretsmanager.secrets = pmap(with_policy, secrets)


def read_cognito(get: Get, snap: AccountSnapshot) -> None:
    idp = get("cognito-idp")
    sec = snap.cognito
    pools = paginate(idp, "list_user_pools", "UserPools", MaxResults=60)

    def one(p: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        pool = attempt(errors, "describe", lambda: clean(idp.describe_user_pool(UserPoolId=p["Id"])["UserPool"]), default=None) or clean(p)
        mfa = attempt(errors, "mfa_config", lambda: clean(idp.get_user_pool_mfa_config(UserPoolId=p["Id"])))
        pool["MfaConfig"] = mfa
        if errors:
            pool["ztlabErrors"] = errors
        return pool

    sec.user_pools = pmap(one, pools)


def read_organizations(get: Get, snap: AccountSnapshot) -> None:
    org = get("organizations")
    sec = snap.organizations
    try:
        sec.organization = clean(org.describe_organization()["Organization"])
    except Exception as exc:  # noqa: BLE001
        if error_code(exc) == "AWSOrganizationsNotInUseException":
            sec.organization = None
            return
        raise
    summaries = attempt(
        sec.errors, "policies", lambda: paginate(org, "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY"), default=[]
    )

    def one(summary: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {"PolicySummary": clean(summary)}
        errors: dict[str, str] = {}
        entry["Content"] = attempt(errors, "content", lambda: org.describe_policy(PolicyId=summary["Id"])["Policy"]["Content"])
        entry["Targets"] = attempt(
            errors, "targets", lambda: clean(paginate(org, "list_targets_for_policy", "Targets", PolicyId=summary["Id"])), default=[]
        )
        if errors:
            entry["ztlabErrors"] = errors
        return entry

    sec.policies = pmap(one, summaries)
    sec.account_path = attempt(sec.errors, "account_path", lambda: _account_path(org, snap.account_id), default=[])
    accounts = attempt(sec.errors, "accounts", lambda: paginate(org, "list_accounts", "Accounts"), default=[])
    others = [a["Id"] for a in accounts if a.get("Id") and a["Id"] != snap.account_id]
    paths = pmap(lambda account: attempt(sec.errors, f"account_path.{account}", lambda: _account_path(org, account), default=[]), others)
    sec.account_paths = {account: path for account, path in zip(others, paths) if path}
    if sec.account_path:
        sec.account_paths[snap.account_id] = sec.account_path


def _account_path(org: Any, account_id: str) -> list[str]:
    path = [account_id]
    child = account_id
    for _ in range(10):
        parents = org.list_parents(ChildId=child).get("Parents", [])
        if not parents:
            break
        child = parents[0]["Id"]
        path.insert(0, child)
        if parents[0].get("Type") == "ROOT":
            break
    return path


def read_accessanalyzer(get: Get, snap: AccountSnapshot) -> None:
    client = get("accessanalyzer")
    # moto has no Access Analyzer and answers HTTP 500; a retry only adds a random back-off of up to
    # a second to every snapshot, so this one read is tried once.
    name = client.meta.service_model.service_id.hyphenize()
    client.meta.events.unregister(f"needs-retry.{name}", unique_id=f"retry-config-{name}")
    snap.accessanalyzer.analyzers = clean(paginate(client, "list_analyzers", "analyzers"))


# EC2 first: its service model is the slowest to load.
READERS: dict[str, Callable[[Get, AccountSnapshot], None]] = {
    "ec2": read_ec2,
    "iam": read_iam,
    "s3": read_s3,
    "kms": read_kms,
    "rds": read_rds,
    "cloudtrail": read_cloudtrail,
    "guardduty": read_guardduty,
    "securityhub": read_securityhub,
    "config": read_config,
    "cloudwatch": read_cloudwatch,
    "sns": read_sns,
    "secretsmanager": read_secretsmanager,
    "cognito": read_cognito,
    "organizations": read_organizations,
    "accessanalyzer": read_accessanalyzer,
}
