"""Writes ../cases/09-adversarial.json: third-party style cases (simulate-custom-policy input
with the decision the IAM User Guide gives). Kept as code so each case reads as one line of
intent; run `python tests/policy/heldout_like/build_cases.py` after editing."""

from __future__ import annotations

import json
from pathlib import Path

A, B = "111122223333", "444455556666"
ALICE = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{A}:user/bob"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
OP = "IAM User Guide: IAM JSON policy elements: Condition operators"
MV = "IAM User Guide: Multivalued context keys"
VAR = "IAM User Guide: IAM policy elements: Variables and tags"
RES = "IAM User Guide: IAM JSON policy elements: Resource"
PRI = "IAM User Guide: AWS JSON policy elements: Principal"
NOTP = "IAM User Guide: AWS JSON policy elements: NotPrincipal"
EVAL = "IAM User Guide: Policy evaluation logic"
XACC = "IAM User Guide: Cross-account policy evaluation logic"
PB = "IAM User Guide: Permissions boundaries for IAM entities"
SESS = "IAM User Guide: Policies and permissions in IAM (Session policies)"
SCP = "AWS Organizations User Guide: Service control policies (SCP evaluation)"
API = "IAM API Reference: SimulateCustomPolicy"
V = "2012-10-17"
CASES: list[dict] = []


def doc(*statements, version=V):
    d = {"Statement": list(statements)}
    if version:
        d = {"Version": version, **d}
    return d


def allow(action="*", resource="*", cond=None, **kw):
    st = {"Effect": "Allow", "Action": action, "Resource": resource, **kw}
    if cond:
        st["Condition"] = cond
    return st


def deny(action="*", resource="*", cond=None, **kw):
    st = {"Effect": "Deny", "Action": action, "Resource": resource, **kw}
    if cond:
        st["Condition"] = cond
    return st


def ctx(name, values, ctype="string"):
    return {"ContextKeyName": name, "ContextKeyValues": values if isinstance(values, list) else [values],
            "ContextKeyType": ctype}


def case(desc, source, expected, actions=("s3:GetObject",), policies=(), resources=None, context=(), **extra):
    c = {"Description": desc, "Source": source, "PolicyInputList": list(policies), "ActionNames": list(actions)}
    if resources is not None:
        c["ResourceArns"] = list(resources)
    if context:
        c["ContextEntries"] = list(context)
    c.update(extra)
    c["Expected"] = expected
    CASES.append(c)


def cond_case(desc, source, condition, context, expected, *, effect="Allow", missing=None):
    if effect == "Allow":
        policies = [doc(allow("s3:GetObject", "*", condition))]
    else:
        policies = [doc(allow("s3:GetObject"), deny("s3:GetObject", "*", condition))]
    extra = {"ExpectedMissingContextValues": missing} if missing is not None else {}
    case(desc, source, expected, policies=policies, context=context, **extra)


# ---------------------------------------------------------------- dates
T = "aws:CurrentTime"
cond_case("DateGreaterThan with ISO values", OP, {"DateGreaterThan": {T: "2026-01-01T00:00:00Z"}},
          [ctx(T, "2026-06-01T12:00:00Z", "date")], "allowed")
cond_case("DateLessThan: epoch seconds in the policy, ISO 8601 in the request", OP,
          {"DateLessThan": {T: "1767225600"}}, [ctx(T, "2025-12-31T23:59:59Z", "date")], "allowed")
cond_case("DateLessThan: epoch seconds is 2026-01-01T00:00:00Z exactly, so equal is not less", OP,
          {"DateLessThan": {T: "1767225600"}}, [ctx(T, "2026-01-01T00:00:00Z", "date")], "implicitDeny")
cond_case("DateEquals: ISO in the policy, epoch in the request", OP,
          {"DateEquals": {"aws:EpochTime": "2026-01-01T00:00:00Z"}}, [ctx("aws:EpochTime", "1767225600", "date")],
          "allowed")
cond_case("DateEquals with a time-zone offset is the same instant", OP,
          {"DateEquals": {T: "2026-01-01T01:00:00+01:00"}}, [ctx(T, "2026-01-01T00:00:00Z", "date")], "allowed")
cond_case("DateGreaterThan on an absent key is false and the key is reported missing", OP,
          {"DateGreaterThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}, [], "implicitDeny",
          missing=["aws:TokenIssueTime"])
cond_case("DateLessThanIfExists on an absent key is true", OP,
          {"DateLessThanIfExists": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}, [], "allowed")
cond_case("DateNotEquals on an absent key is true (negated operator)", OP,
          {"DateNotEquals": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}, [], "allowed")
cond_case("Deny with DateGreaterThan after the cut-off denies", OP,
          {"DateGreaterThan": {T: "2026-03-01T00:00:00Z"}}, [ctx(T, "2026-03-01T00:00:01Z", "date")],
          "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- numbers
MFAAGE = "aws:MultiFactorAuthAge"
cond_case("NumericLessThan with a decimal request value", OP, {"NumericLessThan": {MFAAGE: "3600"}},
          [ctx(MFAAGE, "3599.5", "numeric")], "allowed")
cond_case("NumericEquals compares numbers, not text: 10 equals 10.0", OP, {"NumericEquals": {"s3:max-keys": "10"}},
          [ctx("s3:max-keys", "10.0", "numeric")], "allowed")
cond_case("NumericGreaterThanEquals 100 is false for 99.99", OP, {"NumericGreaterThanEquals": {"s3:max-keys": "100"}},
          [ctx("s3:max-keys", "99.99", "numeric")], "implicitDeny")
cond_case("NumericNotEquals with two values is a NOR: the listed value fails", OP,
          {"NumericNotEquals": {"s3:max-keys": ["1", "2"]}}, [ctx("s3:max-keys", "2", "numeric")], "implicitDeny")
cond_case("NumericNotEquals with two values: another value passes", OP,
          {"NumericNotEquals": {"s3:max-keys": ["1", "2"]}}, [ctx("s3:max-keys", "3", "numeric")], "allowed")
cond_case("NumericLessThanIfExists on an absent key is true", OP,
          {"NumericLessThanIfExists": {MFAAGE: "3600"}}, [], "allowed")
cond_case("Deny NumericGreaterThan MFA age: a fresh MFA is not denied", OP,
          {"NumericGreaterThan": {MFAAGE: "3600"}}, [ctx(MFAAGE, "120", "numeric")], "allowed", effect="Deny")

# ---------------------------------------------------------------- strings
K = "s3:prefix"
cond_case("StringLike with * and ? wildcards", OP, {"StringLike": {K: "home/*/reports/??.csv"}},
          [ctx(K, "home/alice/reports/q1.csv")], "allowed")
cond_case("StringLike ? is exactly one character", OP, {"StringLike": {K: "home/*/reports/??.csv"}},
          [ctx(K, "home/alice/reports/q10.csv")], "implicitDeny")
cond_case("StringLike * spans slashes", OP, {"StringLike": {K: "home/*.csv"}},
          [ctx(K, "home/a/b/c.csv")], "allowed")
cond_case("StringLike is case-sensitive", OP, {"StringLike": {"aws:RequestTag/env": "Prod*"}},
          [ctx("aws:RequestTag/env", "production")], "implicitDeny")
cond_case("StringEqualsIgnoreCase ignores case", OP, {"StringEqualsIgnoreCase": {"aws:RequestTag/env": "Production"}},
          [ctx("aws:RequestTag/env", "PRODUCTION")], "allowed")
cond_case("StringNotEqualsIgnoreCase ignores case too", OP,
          {"StringNotEqualsIgnoreCase": {"aws:RequestTag/env": "prod"}}, [ctx("aws:RequestTag/env", "PROD")],
          "implicitDeny")
cond_case("condition key names are case-insensitive", OP, {"StringEquals": {"AWS:REQUESTEDREGION": "eu-west-1"}},
          [ctx("aws:requestedregion", "eu-west-1")], "allowed")
cond_case("StringNotLike with two values is a NOR: a value matching neither passes", OP,
          {"StringNotLike": {"aws:RequestTag/env": ["dev-*", "test-*"]}}, [ctx("aws:RequestTag/env", "prod-1")],
          "allowed")
cond_case("StringNotLike with two values is a NOR: matching the second fails", OP,
          {"StringNotLike": {"aws:RequestTag/env": ["dev-*", "test-*"]}}, [ctx("aws:RequestTag/env", "test-9")],
          "implicitDeny")
cond_case("StringEquals with several values is an OR", OP,
          {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}},
          [ctx("aws:RequestedRegion", "eu-central-1")], "allowed")
cond_case("two keys under one operator are ANDed", OP,
          {"StringEquals": {"aws:RequestedRegion": "eu-west-1", "aws:RequestTag/env": "prod"}},
          [ctx("aws:RequestedRegion", "eu-west-1"), ctx("aws:RequestTag/env", "dev")], "implicitDeny")
cond_case("two operators are ANDed", OP,
          {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}, "Bool": {"aws:SecureTransport": "true"}},
          [ctx("aws:RequestedRegion", "eu-west-1"), ctx("aws:SecureTransport", "true", "boolean")], "allowed")
cond_case("Deny StringNotEquals on an absent key applies (negated operators are true when absent)", OP,
          {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}, [], "explicitDeny", effect="Deny")
cond_case("Deny StringNotEqualsIfExists on an absent key applies", OP,
          {"StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}}, [], "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- booleans
ST, MFA = "aws:SecureTransport", "aws:MultiFactorAuthPresent"
cond_case("Deny Bool SecureTransport false denies plain HTTP", OP, {"Bool": {ST: "false"}},
          [ctx(ST, "false", "boolean")], "explicitDeny", effect="Deny")
cond_case("Deny Bool SecureTransport false leaves TLS alone", OP, {"Bool": {ST: "false"}},
          [ctx(ST, "true", "boolean")], "allowed", effect="Deny")
cond_case("Deny BoolIfExists MFA false also denies when the key is absent (long-term keys)", OP,
          {"BoolIfExists": {MFA: "false"}}, [], "explicitDeny", effect="Deny")
cond_case("Deny Bool MFA false does not apply when the key is absent", OP, {"Bool": {MFA: "false"}}, [],
          "allowed", effect="Deny")
cond_case("Bool with a JSON true in the policy matches the string true", OP, {"Bool": {MFA: True}},
          [ctx(MFA, "true", "boolean")], "allowed")
cond_case("Allow Bool MFA true with the key absent is false", OP, {"Bool": {MFA: "true"}}, [], "implicitDeny",
          missing=[MFA])

# ---------------------------------------------------------------- IP addresses
IP = "aws:SourceIp"
cond_case("IpAddress /32 matches that one address", OP, {"IpAddress": {IP: "203.0.113.5/32"}},
          [ctx(IP, "203.0.113.5", "ip")], "allowed")
cond_case("IpAddress without a mask is a single address", OP, {"IpAddress": {IP: "203.0.113.5"}},
          [ctx(IP, "203.0.113.6", "ip")], "implicitDeny")
cond_case("IpAddress /24 does not cover the next network", OP, {"IpAddress": {IP: "203.0.113.0/24"}},
          [ctx(IP, "203.0.114.1", "ip")], "implicitDeny")
cond_case("IpAddress with an IPv6 range (mixed case)", OP, {"IpAddress": {IP: "2001:DB8:1234:5678::/64"}},
          [ctx(IP, "2001:db8:1234:5678::1", "ip")], "allowed")
cond_case("an IPv4 range never matches an IPv6 caller", OP, {"IpAddress": {IP: "0.0.0.0/0"}},
          [ctx(IP, "2001:db8::1", "ip")], "implicitDeny")
cond_case("Deny NotIpAddress with two ranges denies an address outside both", OP,
          {"NotIpAddress": {IP: ["192.0.2.0/24", "203.0.113.0/24"]}}, [ctx(IP, "198.51.100.7", "ip")],
          "explicitDeny", effect="Deny")
cond_case("Deny NotIpAddress with two ranges spares an address inside one", OP,
          {"NotIpAddress": {IP: ["192.0.2.0/24", "203.0.113.0/24"]}}, [ctx(IP, "203.0.113.200", "ip")],
          "allowed", effect="Deny")
cond_case("Deny NotIpAddress applies when aws:SourceIp is absent", OP,
          {"NotIpAddress": {IP: "192.0.2.0/24"}}, [], "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- ARNs
PA = "aws:PrincipalArn"
cond_case("ArnLike with * in the account and the resource segments", OP,
          {"ArnLike": {PA: "arn:aws:iam::*:role/Admin*"}}, [ctx(PA, f"arn:aws:iam::{A}:role/AdminOps")], "allowed")
cond_case("ArnLike * in the resource segment crosses the path", OP,
          {"ArnLike": {PA: f"arn:aws:iam::{A}:role/*"}}, [ctx(PA, f"arn:aws:iam::{A}:role/path/x")], "allowed")
cond_case("ArnEquals takes wildcards too", OP,
          {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:*:{A}:alerts"}},
          [ctx("aws:SourceArn", f"arn:aws:sns:us-east-1:{A}:alerts")], "allowed")
cond_case("ArnLike is case-sensitive", OP, {"ArnLike": {PA: f"arn:aws:iam::{A}:role/admin"}},
          [ctx(PA, f"arn:aws:iam::{A}:role/Admin")], "implicitDeny")
cond_case("ArnLike never matches a value that is not an ARN", OP, {"ArnLike": {"aws:SourceArn": "*"}},
          [ctx("aws:SourceArn", "not-an-arn")], "implicitDeny")
cond_case("ArnLike ? is one character", OP, {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::logs-?"}},
          [ctx("aws:SourceArn", "arn:aws:s3:::logs-12")], "implicitDeny")
cond_case("StringLike also matches ARNs, as plain text", OP, {"StringLike": {PA: "arn:aws:iam::*:role/Admin"}},
          [ctx(PA, f"arn:aws:iam::{A}:role/Admin")], "allowed")
cond_case("Deny ArnNotLike on an absent key applies", OP,
          {"ArnNotLike": {"aws:SourceArn": f"arn:aws:sns:*:{A}:*"}}, [], "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- Null
cond_case("Null true: the key is absent", OP, {"Null": {"aws:TokenIssueTime": "true"}}, [], "allowed")
cond_case("Null false: the key must be present", OP, {"Null": {"aws:TokenIssueTime": "false"}}, [], "implicitDeny")
cond_case("Null true fails when the key is present", OP, {"Null": {"aws:TokenIssueTime": "true"}},
          [ctx("aws:TokenIssueTime", "2026-01-01T00:00:00Z", "date")], "implicitDeny")
cond_case("Deny Null RequestTag true: a request without the tag is denied", OP,
          {"Null": {"aws:RequestTag/owner": "true"}}, [], "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- multivalued keys
TK = "aws:TagKeys"
cond_case("ForAllValues: every request value is in the list", MV,
          {"ForAllValues:StringEquals": {TK: ["env", "owner"]}}, [ctx(TK, ["env"], "stringList")], "allowed")
cond_case("ForAllValues: one value outside the list fails", MV,
          {"ForAllValues:StringEquals": {TK: ["env", "owner"]}}, [ctx(TK, ["env", "cost"], "stringList")],
          "implicitDeny")
cond_case("ForAllValues is true when the key is absent (the documented warning)", MV,
          {"ForAllValues:StringEquals": {TK: ["env", "owner"]}}, [], "allowed")
cond_case("ForAllValues is true for an empty list", MV,
          {"ForAllValues:StringEquals": {TK: ["env", "owner"]}}, [ctx(TK, [], "stringList")], "allowed")
cond_case("ForAnyValue is false when the key is absent", MV,
          {"ForAnyValue:StringEquals": {TK: ["env"]}}, [], "implicitDeny", missing=[TK])
cond_case("ForAnyValue:StringNotEquals: true when any request value differs", MV,
          {"ForAnyValue:StringNotEquals": {TK: ["env"]}}, [ctx(TK, ["env", "cost"], "stringList")], "allowed")
cond_case("ForAnyValue:StringNotEquals: false when every value is listed", MV,
          {"ForAnyValue:StringNotEquals": {TK: ["env"]}}, [ctx(TK, ["env"], "stringList")], "implicitDeny")
cond_case("ForAllValues:StringNotEquals: none of the request values may be listed", MV,
          {"ForAllValues:StringNotEquals": {TK: ["secret", "admin"]}}, [ctx(TK, ["env", "admin"], "stringList")],
          "implicitDeny")
cond_case("ForAllValues:StringNotEquals passes values all outside the list", MV,
          {"ForAllValues:StringNotEquals": {TK: ["secret", "admin"]}}, [ctx(TK, ["env", "owner"], "stringList")],
          "allowed")
cond_case("ForAnyValue:StringLike matches one value of many", MV,
          {"ForAnyValue:StringLike": {TK: "team-*"}}, [ctx(TK, ["x", "team-a"], "stringList")], "allowed")
cond_case("Deny ForAnyValue:StringEquals is case-sensitive on values", MV,
          {"ForAnyValue:StringEquals": {TK: "Owner"}}, [ctx(TK, ["owner"], "stringList")], "allowed", effect="Deny")
cond_case("Deny ForAnyValue:StringEquals denies a request carrying the forbidden tag key", MV,
          {"ForAnyValue:StringEquals": {TK: ["Owner", "CostCenter"]}}, [ctx(TK, ["env", "CostCenter"], "stringList")],
          "explicitDeny", effect="Deny")

# ---------------------------------------------------------------- policy variables
case("${aws:username} in a resource is the caller's user name", VAR, "allowed", CallerArn=ALICE,
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))],
     resources=["arn:aws:s3:::home/alice/notes.txt"])
case("${aws:username} does not reach another user's folder", VAR, "implicitDeny", CallerArn=ALICE,
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))],
     resources=["arn:aws:s3:::home/bob/notes.txt"])
case("a variable default is used when the tag is missing", VAR, "allowed", CallerArn=ALICE,
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::data/${aws:PrincipalTag/team, 'shared'}/*"))],
     resources=["arn:aws:s3:::data/shared/file"])
case("with Version 2008-10-17 a variable is plain text", VAR, "implicitDeny", CallerArn=ALICE,
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"), version="2008-10-17")],
     resources=["arn:aws:s3:::home/alice/notes.txt"])
case("a variable in a condition value is substituted", VAR, "allowed", CallerArn=ALICE,
     policies=[doc(allow("s3:PutObject", "*", {"StringEquals": {"aws:RequestTag/owner": "${aws:username}"}}))],
     actions=["s3:PutObject"], context=[ctx("aws:RequestTag/owner", "alice")])
case("a variable with no value and no default makes the statement not match", VAR, "implicitDeny",
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"))],
     resources=["arn:aws:s3:::home/red/x"], ExpectedMissingContextValues=["aws:PrincipalTag/team"])
case("${*} is a literal asterisk", VAR, ["allowed", "implicitDeny"],
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::b/${*}"))],
     resources=["arn:aws:s3:::b/*", "arn:aws:s3:::b/x"])
case("a variable from a ContextEntry overrides nothing it does not name", VAR, "allowed",
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::teams/${aws:PrincipalTag/team}/*"))],
     resources=["arn:aws:s3:::teams/red/x"], context=[ctx("aws:PrincipalTag/team", "red")])

# ---------------------------------------------------------------- actions and resources
case("action names are case-insensitive", "IAM User Guide: IAM JSON policy elements: Action", "allowed",
     policies=[doc(allow("S3:getobject"))])
case("Deny with NotAction denies every other action", "IAM User Guide: IAM JSON policy elements: NotAction",
     ["explicitDeny", "allowed"], actions=["s3:GetObject", "iam:ListUsers"],
     policies=[doc(allow("*"), deny(NotAction="iam:*", resource="*", action=None))])
case("Allow with NotAction does not allow the excluded actions", "IAM User Guide: IAM JSON policy elements: NotAction",
     ["implicitDeny", "allowed"], actions=["iam:ListUsers", "ec2:DescribeInstances"],
     policies=[doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})])
case("Allow with NotResource allows other resources only", "IAM User Guide: IAM JSON policy elements: NotResource",
     ["allowed", "implicitDeny"], resources=["arn:aws:s3:::public/x", "arn:aws:s3:::secret/x"],
     policies=[doc({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"})])
case("resource ARNs are case-sensitive", RES, "implicitDeny", resources=["arn:aws:s3:::bucket/x"],
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::Bucket/*"))])
case("* in the region and account segments", RES, ["allowed", "implicitDeny"],
     actions=["dynamodb:GetItem"],
     resources=[f"arn:aws:dynamodb:eu-west-1:{A}:table/Orders", f"arn:aws:dynamodb:eu-west-1:{A}:table/OrdersArchive"],
     policies=[doc(allow("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/Orders"))])
case("a * that ends an ARN segment may expand past the colons", RES, "allowed", actions=["ec2:StartInstances"],
     resources=[f"arn:aws:ec2:us-east-1:{A}:instance/i-0abc"],
     policies=[doc(allow("ec2:StartInstances", "arn:aws:ec2:*:instance/*"))])
case("* in a path covers nested paths", RES, "allowed", actions=["iam:GetUser"],
     resources=[f"arn:aws:iam::{A}:user/division/alice"],
     policies=[doc(allow("iam:GetUser", f"arn:aws:iam::{A}:user/*"))])
case("? in a resource is one character", RES, ["allowed", "implicitDeny"],
     resources=["arn:aws:s3:::my-bucket", "arn:aws:s3:::my--bucket"],
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::my?bucket"))])
case("a wildcard action prefix covers matching actions of that service only",
     "IAM User Guide: IAM JSON policy elements: Action", ["allowed", "implicitDeny"],
     actions=["s3:GetObjectTagging", "s3:PutObjectTagging"], policies=[doc(allow("s3:Get*"))])
case("explicit deny wins over an allow in another policy", EVAL, "explicitDeny",
     policies=[doc(allow("s3:*")), doc(deny("s3:GetObject"))])
case("no statement applies: implicit deny", EVAL, "implicitDeny", policies=[doc(allow("s3:PutObject"))])

# ---------------------------------------------------------------- principals and resource policies
def rp(*statements):
    return {"Version": V, "Statement": list(statements)}


def grant(principal, action="s3:GetObject", resource="arn:aws:s3:::shared/*", effect="Allow", key="Principal"):
    return {"Effect": effect, key: principal, "Action": action, "Resource": resource}


OBJ = ["arn:aws:s3:::shared/x"]
case("same account: a resource policy naming the account only delegates to identity policies", PRI,
     "implicitDeny", CallerArn=ALICE, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": A})))
case("same account: account id and root ARN are the same principal (with an identity Allow)", PRI, "allowed",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": f"arn:aws:iam::{A}:root"})))
case("same account: a resource policy naming the user grants without an identity policy", EVAL, "allowed",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ALICE})))
case("same account: a resource policy naming another user grants nothing to alice", EVAL, "implicitDeny",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": BOB})))
case("a wildcard inside a principal ARN matches nothing", PRI, "implicitDeny", CallerArn=ALICE, ResourceOwner=A,
     resources=OBJ, ResourcePolicy=rp(grant({"AWS": f"arn:aws:iam::{A}:user/*"})))
case("Principal {AWS: *} is everyone, like Principal *", PRI, "allowed", CallerArn=ALICE, ResourceOwner=A,
     resources=OBJ, ResourcePolicy=rp(grant({"AWS": "*"})))
case("same account: resource policy naming the user is not limited by the boundary", PB, "allowed",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ALICE})),
     PermissionsBoundaryPolicyInputList=[doc(allow("ec2:*"))])
case("same account: resource policy naming the role is limited by the session's boundary", PB, "implicitDeny",
     CallerArn=SESSION, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ROLE})),
     PermissionsBoundaryPolicyInputList=[doc(allow("ec2:*"))])
case("same account: resource policy naming the role session is not limited by the boundary", PB, "allowed",
     CallerArn=SESSION, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": SESSION})),
     PermissionsBoundaryPolicyInputList=[doc(allow("ec2:*"))])
case("an explicit deny in the boundary wins over a same-account resource grant", PB, "explicitDeny",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ALICE})),
     PermissionsBoundaryPolicyInputList=[doc(allow("*"), deny("s3:GetObject"))])
case("cross-account: identity Allow and resource policy naming the caller's account", XACC, "allowed",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": A})))
case("cross-account: resource policy naming the user is not enough without an identity Allow", XACC,
     "implicitDeny", CallerArn=ALICE, ResourceOwner=B, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ALICE})))
case("cross-account: identity Allow without a resource policy grant is denied", XACC, "implicitDeny",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": f"arn:aws:iam::{B}:root"})))
case("cross-account: resource policy naming the role admits its sessions", XACC, "allowed",
     CallerArn=SESSION, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": ROLE})))
case("cross-account: ResourceOwner may be given as the account root ARN", API, "allowed",
     CallerArn=ALICE, ResourceOwner=f"arn:aws:iam::{B}:root", resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": ALICE})))
case("cross-account: the resource ARN's own account is the owner when ResourceOwner is absent", API,
     "implicitDeny", CallerArn=ALICE, actions=["sqs:SendMessage"], resources=[f"arn:aws:sqs:us-east-1:{B}:jobs"],
     policies=[doc(allow("sqs:SendMessage"))],
     ResourcePolicy=rp(grant({"AWS": f"arn:aws:iam::{B}:root"}, "sqs:SendMessage", "*")))
case("resource policy Deny naming the caller wins over identity Allow", EVAL, "explicitDeny",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, policies=[doc(allow("s3:*"))],
     ResourcePolicy=rp(grant({"AWS": ALICE}, effect="Deny")))
case("Deny with NotPrincipal listing the user and its account spares that user", NOTP, "allowed",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, policies=[doc(allow("s3:*"))],
     ResourcePolicy=rp(grant({"AWS": [ALICE, f"arn:aws:iam::{A}:root"]}, effect="Deny", key="NotPrincipal")))
case("Deny with NotPrincipal denies a user it does not list", NOTP, "explicitDeny",
     CallerArn=BOB, ResourceOwner=A, resources=OBJ, policies=[doc(allow("s3:*"))],
     ResourcePolicy=rp(grant({"AWS": [ALICE, f"arn:aws:iam::{A}:root"]}, effect="Deny", key="NotPrincipal")))
case("Deny with NotPrincipal naming the user but not its account still denies it", NOTP, "explicitDeny",
     CallerArn=ALICE, ResourceOwner=A, resources=OBJ, policies=[doc(allow("s3:*"))],
     ResourcePolicy=rp(grant({"AWS": ALICE}, effect="Deny", key="NotPrincipal")))
case("anonymous caller and Principal *", PRI, "allowed", CallerArn="anonymous", ResourceOwner=A, resources=OBJ,
     ResourcePolicy=rp(grant("*")))
case("anonymous caller and a resource policy naming an account", PRI, "implicitDeny", CallerArn="anonymous",
     ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": A})))

# ---------------------------------------------------------------- boundaries and session policies
case("the boundary caps identity permissions", PB, ["allowed", "implicitDeny"],
     actions=["s3:GetObject", "ec2:RunInstances"], policies=[doc(allow("s3:*"), allow("ec2:*"))],
     PermissionsBoundaryPolicyInputList=[doc(allow("s3:*"))])
case("a boundary alone grants nothing", PB, "implicitDeny", policies=[],
     PermissionsBoundaryPolicyInputList=[doc(allow("*"))])
case("a session policy limits the identity policy", SESS, ["allowed", "implicitDeny"],
     actions=["s3:GetObject", "s3:PutObject"], CallerArn=SESSION, policies=[doc(allow("s3:*"))],
     SessionPolicyInputList=[doc(allow("s3:GetObject"))])
case("a session policy grants nothing the identity policy lacks", SESS, "implicitDeny", CallerArn=SESSION,
     policies=[doc(allow("s3:PutObject"))], SessionPolicyInputList=[doc(allow("s3:*"))])
case("an explicit deny in a session policy wins", SESS, "explicitDeny", CallerArn=SESSION,
     policies=[doc(allow("s3:*"))], SessionPolicyInputList=[doc(allow("*"), deny("s3:GetObject"))])
case("resource policy naming the role is limited by the session policy", SESS, "implicitDeny",
     CallerArn=SESSION, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ROLE})),
     SessionPolicyInputList=[doc(allow("ec2:*"))])
case("resource policy naming the session is not limited by the session policy", SESS, "allowed",
     CallerArn=SESSION, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": SESSION})),
     SessionPolicyInputList=[doc(allow("ec2:*"))])
case("session, boundary and identity all allow", SESS, "allowed", CallerArn=SESSION,
     policies=[doc(allow("s3:GetObject"))], SessionPolicyInputList=[doc(allow("s3:*"))],
     PermissionsBoundaryPolicyInputList=[doc(allow("s3:Get*"))])

# ---------------------------------------------------------------- SCPs
FULL = doc(allow("*"))
case("every SCP level must allow: OU allows only S3", SCP, ["allowed", "implicitDeny"],
     actions=["s3:GetObject", "ec2:RunInstances"], policies=[doc(allow("*"))],
     ServiceControlPolicyInputList=[[FULL], [doc(allow("s3:*"))]])
case("every SCP level must allow: an allow list at the root only", SCP, ["allowed", "implicitDeny"],
     actions=["s3:GetObject", "ec2:RunInstances"], policies=[doc(allow("*"))],
     ServiceControlPolicyInputList=[[doc(allow("s3:*"))], [FULL], [FULL]])
case("an SCP deny at an OU wins", SCP, "explicitDeny", policies=[doc(allow("*"))],
     ServiceControlPolicyInputList=[[FULL], [FULL, doc(deny("s3:GetObject"))]])
case("an SCP allow grants nothing without an identity policy", SCP, "implicitDeny", policies=[],
     ServiceControlPolicyInputList=[[FULL]])
case("SCPs limit the member account's root user", SCP, "explicitDeny", CallerArn=f"arn:aws:iam::{A}:root",
     ServiceControlPolicyInputList=[[FULL, doc(deny("s3:*"))]])
case("region guardrail: Deny NotAction with StringNotEquals on the requested region", SCP,
     ["explicitDeny", "allowed", "allowed"], actions=["s3:GetObject", "iam:ListUsers", "sts:GetCallerIdentity"],
     policies=[doc(allow("*"))], context=[ctx("aws:RequestedRegion", "us-west-2")],
     ServiceControlPolicyInputList=[[FULL, doc({"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
                                               "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}})]])
case("several SCPs at one level: one Allow is enough", SCP, "allowed", policies=[doc(allow("*"))],
     ServiceControlPolicyInputList=[[doc(allow("ec2:*")), doc(allow("s3:GetObject"))]])

# ---------------------------------------------------------------- input forms
case("policies given as JSON strings, context lists typed", API, "allowed", CallerArn=ALICE, ResourceOwner=A,
     resources=OBJ, policies=[json.dumps(doc(allow("s3:GetObject", "*",
                                                   {"ForAnyValue:IpAddress": {IP: "10.0.0.0/8"}})))],
     ResourcePolicy=json.dumps(rp(grant({"AWS": ALICE}))),
     context=[ctx(IP, ["192.0.2.1", "10.1.2.3"], "ipList")])
case("booleanList context values", API, "explicitDeny", policies=[doc(allow("*"), deny("*", "*", {"Bool": {ST: "false"}}))],
     context=[ctx(ST, ["false"], "booleanList")])
case("numericList context values with ForAnyValue", API, "allowed",
     policies=[doc(allow("s3:GetObject", "*", {"ForAnyValue:NumericGreaterThan": {"s3:max-keys": "5"}}))],
     context=[ctx("s3:max-keys", ["1", "6"], "numericList")])
case("dateList context values with ForAllValues", API, "implicitDeny",
     policies=[doc(allow("s3:GetObject", "*", {"ForAllValues:DateLessThan": {T: "2026-01-01T00:00:00Z"}}))],
     context=[ctx(T, ["2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z"], "dateList")])
case("ResourceArns omitted means *", API, "allowed", policies=[doc(allow("s3:GetObject"))])
case("multiple actions times multiple resources, action-major order", API,
     ["allowed", "implicitDeny", "implicitDeny", "implicitDeny"], actions=["s3:GetObject", "s3:PutObject"],
     resources=["arn:aws:s3:::a/1", "arn:aws:s3:::b/1"], policies=[doc(allow("s3:GetObject", "arn:aws:s3:::a/*"))])

# ---------------------------------------------------------------- more layering and input forms
case("cross-account: the boundary still caps a resource policy that names the user", XACC, "implicitDeny",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": ALICE})), PermissionsBoundaryPolicyInputList=[doc(allow("ec2:*"))])
case("cross-account: an SCP deny in the caller's organisation wins over both grants", XACC, "explicitDeny",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": ALICE})), ServiceControlPolicyInputList=[[FULL, doc(deny("s3:*"))]])
case("cross-account: resource policy naming the role session ARN", XACC, "allowed",
     CallerArn=SESSION, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp(grant({"AWS": SESSION})))
case("cross-account: Principal * narrowed by aws:PrincipalAccount", XACC, "allowed",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp({**grant("*"), "Condition": {"StringEquals": {"aws:PrincipalAccount": A}}}))
case("cross-account: Principal * narrowed to another account", XACC, "implicitDeny",
     CallerArn=ALICE, ResourceOwner=B, resources=OBJ, policies=[doc(allow("s3:GetObject"))],
     ResourcePolicy=rp({**grant("*"), "Condition": {"StringEquals": {"aws:PrincipalAccount": B}}}))
case("same account: a role session granted through the role ARN needs no identity policy", EVAL, "allowed",
     CallerArn=SESSION, ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": ROLE})))
case("role trust policy: same-account user named in the trust policy may assume the role", EVAL, "allowed",
     CallerArn=ALICE, actions=["sts:AssumeRole"], resources=[ROLE],
     ResourcePolicy=rp({"Effect": "Allow", "Principal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}))
case("role trust policy naming the account: the identity policy must also allow", EVAL, "implicitDeny",
     CallerArn=ALICE, actions=["sts:AssumeRole"], resources=[ROLE],
     ResourcePolicy=rp({"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}))
case("aws:PrincipalArn is derived from the caller (the role, for a session)", "IAM User Guide: AWS global condition context keys",
     "allowed", CallerArn=SESSION,
     policies=[doc(allow("s3:GetObject", "*", {"ArnEquals": {PA: ROLE}}))])
case("aws:username is absent for a role session, so the variable fails", VAR, "implicitDeny", CallerArn=SESSION,
     policies=[doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))],
     resources=["arn:aws:s3:::home/app/x"])
case("ContextKeyType names are accepted as the API spells them; string is the default", API, "allowed",
     policies=[doc(allow("s3:GetObject", "*", {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))],
     context=[{"ContextKeyName": "aws:RequestedRegion", "ContextKeyValues": ["eu-west-1"]}])
case("an ip-typed context value in CIDR-free form with IPv6", API, "explicitDeny",
     policies=[doc(allow("*"), deny("*", "*", {"NotIpAddress": {IP: ["10.0.0.0/8", "fd00::/8"]}}))],
     context=[ctx(IP, "2001:db8::5", "ip")])

case("ResourceOwner does not override the account an ARN names", API, "implicitDeny",
     CallerArn=ALICE, ResourceOwner=A, actions=["sqs:SendMessage"], resources=[f"arn:aws:sqs:us-east-1:{B}:jobs"],
     policies=[doc(allow("sqs:SendMessage"))],
     ResourcePolicy=rp(grant({"AWS": f"arn:aws:iam::{B}:root"}, "sqs:SendMessage", "*")))
case("aws:ResourceAccount comes from the resource ARN", "IAM User Guide: AWS global condition context keys",
     ["allowed", "implicitDeny"], actions=["sqs:SendMessage"],
     resources=[f"arn:aws:sqs:us-east-1:{A}:jobs", f"arn:aws:sqs:us-east-1:{B}:jobs"],
     policies=[doc(allow("sqs:SendMessage", "*", {"StringEquals": {"aws:ResourceAccount": A}}))])

case("anonymous caller and Principal {AWS: *}: the same as Principal *", PRI, "allowed", CallerArn="anonymous",
     ResourceOwner=A, resources=OBJ, ResourcePolicy=rp(grant({"AWS": "*"})))
case("explicit deny in the resource policy stops an anonymous caller allowed by Principal *", EVAL, "explicitDeny",
     CallerArn="anonymous", ResourceOwner=A, resources=OBJ,
     ResourcePolicy=rp(grant("*"), {**grant("*", effect="Deny"), "Condition": {"Bool": {ST: "false"}}}),
     context=[ctx(ST, "false", "boolean")])


def _fix_notaction(c):
    # deny(NotAction=...) helper call passed action=None: drop the Action key
    for p in c.get("PolicyInputList", []):
        if isinstance(p, dict):
            for st in p["Statement"]:
                if st.get("Action", "") is None:
                    del st["Action"]
    return c


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "cases" / "09-adversarial.json"
    out.write_text(json.dumps([_fix_notaction(c) for c in CASES], indent=1) + "\n")
    print(f"{len(CASES)} cases -> {out}")
