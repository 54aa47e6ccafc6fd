"""A small lab account built with boto3 the way a learner would: one secure and one insecure of each kind."""

from __future__ import annotations

import json
from typing import Any

ACCOUNT = "123456789012"


def tls_policy(bucket: str, **override: Any) -> str:
    st = {"Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
          "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"], "Condition": {"Bool": {"aws:SecureTransport": False}}}
    st.update(override)
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def build(clients: Any) -> dict[str, str]:
    """Create the account; returns the ids the tests assert on."""
    s3 = clients.client("s3")
    for name in ("zt-secure", "zt-putonly", "zt-public", "zt-broken"):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket="zt-secure", Policy=tls_policy("zt-secure"))
    s3.put_bucket_policy(Bucket="zt-putonly", Policy=tls_policy("zt-putonly", Action="s3:PutObject"))
    s3.put_bucket_policy(Bucket="zt-public", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::zt-public/*"}]}))
    # moto accepts a policy without Effect and then answers HTTP 500 on that bucket's object calls
    s3.put_bucket_policy(Bucket="zt-broken", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Principal": "*", "Action": "s3:*", "Resource": "*"}]}))

    ec2 = clients.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    web = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc)["GroupId"]
    app = ec2.create_security_group(GroupName="app", Description="app tier", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db tier", VpcId=vpc)["GroupId"]
    ssh = ec2.create_security_group(GroupName="legacy-ssh", Description="open ssh", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web}]}])
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}])
    ec2.authorize_security_group_ingress(GroupId=ssh, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])

    iam = clients.client("iam")
    admin = iam.create_policy(PolicyName="everything", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "iam:DeleteUser", "Resource": "*"}]}))["Policy"]["Arn"]
    reader = iam.create_policy(PolicyName="reader", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::zt-secure", "arn:aws:s3:::zt-secure/*"]}]}))["Policy"]["Arn"]
    iam.create_role(RoleName="partner", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}))
    iam.create_role(RoleName="partner-safe", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"sts:ExternalId": "agreed"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    iam.attach_role_policy(RoleName="partner", PolicyArn=admin)
    iam.attach_role_policy(RoleName="partner-safe", PolicyArn=reader)

    kms = clients.client("kms")
    rotating = kms.create_key(Description="rotating")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotating)
    static = kms.create_key(Description="static")["KeyMetadata"]["KeyId"]
    return {"vpc": vpc, "web": web, "app": app, "db": db, "ssh": ssh, "admin": admin, "reader": reader,
            "rotating": rotating, "static": static}
