"""Policy engine speed: decisions per CPU-second on one core for a realistic 21-statement policy
set with conditions, and the CPU time to answer one access question.

    PYTHONPATH=. python bench/policy_bench.py [--seconds 3]

It also lints a 2 MB policy whose Resources are 10,000-character ARNs with a `*` or `?` every
few characters (issue 13): CPU seconds per MB, once, in this fresh process (the matchers are
cached, so a second run would measure the cache).

Target (issue 16, raised from issue 4's 20,000): at least 40,000 decisions per CPU-second on this
fixed workload. Only CPU time (`time.process_time`) is measured: the machine is shared, so wall
time says more about the neighbours than about the engine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

from ztlab.policy import Caller, PolicySet, Request, evaluate, parse_policy
from ztlab.policy.access import build_requests, context_variants, find_request, standard_callers

ACCOUNT = "111122223333"
BUCKET = "arn:aws:s3:::acme-reports"


def policy(*statements):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)})


def policy_set() -> PolicySet:
    identity = policy(
        {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
         "Resource": f"{BUCKET}/reports/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
        {"Sid": "ListOwnPrefix", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": BUCKET,
         "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "reports/*"]}}},
        {"Sid": "OwnHome", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
         "Resource": f"{BUCKET}/home/${{aws:username}}/*"},
        {"Sid": "RunSmallInstances", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
         "Condition": {"StringEquals": {"ec2:InstanceType": ["t3.micro", "t3.small"], "aws:RequestedRegion": "eu-west-1"}}},
        {"Sid": "TaggedInstances", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"],
         "Resource": f"arn:aws:ec2:*:{ACCOUNT}:instance/*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}},
        {"Sid": "DescribeAll", "Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:Get*", "cloudwatch:List*"], "Resource": "*"},
        {"Sid": "KmsForS3", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}},
        {"Sid": "OwnCredentials", "Effect": "Allow", "Action": ["iam:*AccessKey*", "iam:ChangePassword", "iam:GetUser"],
         "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"},
        {"Sid": "MfaForDeletes", "Effect": "Deny", "Action": ["s3:DeleteObject*", "ec2:TerminateInstances"], "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
        {"Sid": "OfficeOnly", "Effect": "Deny", "NotAction": ["iam:ChangePassword", "sts:GetSessionToken"], "Resource": "*",
         "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8:1234::/48"]},
                       "Bool": {"aws:ViaAWSService": "false"}}},
        {"Sid": "TagOnCreate", "Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
         "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env", "cost"]},
                       "StringEquals": {"ec2:CreateAction": "RunInstances"}}},
        {"Sid": "RecentMfaForIam", "Effect": "Allow", "Action": "iam:List*", "Resource": "*",
         "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}},
    )
    bucket = policy(
        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, f"{BUCKET}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "OrgOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [BUCKET, f"{BUCKET}/*"],
         "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-acme1234"}, "Bool": {"aws:PrincipalIsAWSService": "false"}}},
        {"Sid": "AuditorRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/auditor"},
         "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [BUCKET, f"{BUCKET}/reports/*"]},
        {"Sid": "TrailWrites", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
         "Resource": f"{BUCKET}/AWSLogs/{ACCOUNT}/*", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}},
    )
    boundary = policy(
        {"Sid": "Services", "Effect": "Allow", "Action": ["s3:*", "ec2:*", "cloudwatch:*", "kms:*", "iam:*"], "Resource": "*"},
        {"Sid": "NoBoundaryEdits", "Effect": "Deny", "Action": ["iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary"],
         "Resource": "*"},
    )
    scp_root = policy({"Sid": "FullAccess", "Effect": "Allow", "Action": "*", "Resource": "*"})
    scp_ou = policy(
        {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "cloudwatch:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}},
    )
    statements = sum(len(p.statements) for p in (identity, bucket, boundary, scp_root, scp_ou))
    assert statements == 21, statements
    return PolicySet(identity=[identity], resource=bucket, boundary=boundary, scps=[[scp_root], [scp_ou]])


def workload() -> list[Request]:
    callers = [Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice", tags={"team": "data"}),
               Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/bob", tags={"team": "web"}),
               Caller.from_arn(f"arn:aws:sts::{ACCOUNT}:assumed-role/app/i-0abc")]
    targets = [("s3:GetObject", f"{BUCKET}/reports/2026-01.csv"), ("s3:GetObject", f"{BUCKET}/home/alice/notes.txt"),
               ("s3:PutObject", f"{BUCKET}/home/bob/x"), ("s3:DeleteObject", f"{BUCKET}/home/alice/old"),
               ("s3:ListBucket", BUCKET), ("ec2:RunInstances", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/*"),
               ("ec2:StopInstances", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0123"), ("ec2:DescribeInstances", "*"),
               ("kms:Decrypt", f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234"), ("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/alice"),
               ("iam:ListUsers", "*"), ("ec2:CreateTags", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0123")]
    contexts = [
        {"aws:SecureTransport": "true", "aws:SourceIp": "203.0.113.10", "aws:RequestedRegion": "eu-west-1",
         "aws:PrincipalOrgID": "o-acme1234", "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "120",
         "aws:ViaAWSService": "false", "ec2:InstanceType": "t3.micro", "aws:ResourceTag/team": "data",
         "s3:prefix": "home/alice/", "aws:TagKeys": ["team", "env"], "ec2:CreateAction": "RunInstances"},
        {"aws:SecureTransport": "false", "aws:SourceIp": "198.51.100.7", "aws:RequestedRegion": "us-east-1",
         "aws:PrincipalOrgID": "o-acme1234", "aws:ViaAWSService": "false"},
        {"aws:SecureTransport": "true", "aws:SourceIp": "2001:db8:1234::9", "aws:RequestedRegion": "eu-west-1",
         "aws:PrincipalOrgID": "o-other", "kms:ViaService": "s3.eu-west-1.amazonaws.com", "aws:ViaAWSService": "true"},
    ]
    return [Request(a, r, c, ACCOUNT, ctx) for c in callers for (a, r) in targets for ctx in contexts]


TARGET = 40_000


def decisions_per_second(seconds: float) -> tuple[float, dict[str, int]]:
    """(decisions per CPU-second of this process, decision counts); runs for `seconds` of CPU."""
    policies = policy_set()
    requests = workload()
    counts: dict[str, int] = {}
    for request in requests:  # warm the per-statement caches, as a long-running check does
        decision = evaluate(request, policies).decision
        counts[decision] = counts.get(decision, 0) + 1
    done = 0
    cpu_start = time.process_time()
    deadline = cpu_start + seconds
    for request in itertools.cycle(requests):
        evaluate(request, policies)
        done += 1
        if done % 500 == 0 and time.process_time() >= deadline:
            break
    return done / (time.process_time() - cpu_start), counts


def access_question() -> tuple[float, int, bool]:
    """"Can anyone, from anywhere, read or write the bucket without TLS?" over 5 callers x 27
    contexts x 4 actions x 2 resources = 1,080 requests (the answer is no: full enumeration)."""
    policies = policy_set()
    full_access = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})

    def for_request(request: Request) -> PolicySet:
        # assume the worst identity side: every caller is an administrator in its own account
        return PolicySet(identity=[full_access], resource=policies.resource)

    cpu_start = time.process_time()
    requests = list(build_requests(["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:PutBucketPolicy"],
                                   [BUCKET, f"{BUCKET}/reports/x"], standard_callers(ACCOUNT),
                                   context_variants(tls=True, mfa=True, source_ip=("203.0.113.10", "198.51.100.7")),
                                   resource_owner=ACCOUNT))
    found = find_request((r for r in requests if r.context.get("aws:SecureTransport") != "true"), for_request,
                         lambda e: e.allowed)
    return time.process_time() - cpu_start, len(requests), found is not None


def long_resource_policy(megabytes: float = 2.0) -> bytes:
    """Statements whose Resource is a 10,000-character ARN, a wildcard in every few characters."""
    statements, size, state = [], 0, 7
    while size < megabytes * 1_000_000:
        chars = []
        for _ in range(10_000):
            state = (state * 1103515245 + 12345) % 2**31
            chars.append("ab*?c/"[state % 6])
        resource = "arn:aws:s3:::acme-data/" + "".join(chars)
        statements.append({"Sid": f"S{len(statements)}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                           "Resource": resource})
        size += len(resource) + 100
    return json.dumps({"Version": "2012-10-17", "Statement": statements}).encode()


def lint_seconds_per_mb() -> tuple[float, float, float, int]:
    """(lint CPU seconds per MB, then the CPU seconds per MB of asking every statement about a
    10,000-character key (which builds each matcher in full), MB, findings) for
    long_resource_policy(). Lint asks its Resources only about short ARNs, which a long pattern
    refuses by length before building anything."""
    from ztlab.policy import Caller, PolicySet, Request, evaluate, parse_policy
    from ztlab.policy.lint import lint_text

    lint_text(b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}')
    data = long_resource_policy()
    mb = len(data) / 1_000_000
    cpu_start = time.process_time()
    findings = lint_text(data, name="long.json")
    lint_cpu = time.process_time() - cpu_start
    policies = PolicySet(identity=[parse_policy(json.loads(data))])
    request = Request("s3:GetObject", "arn:aws:s3:::acme-data/" + "ab" * 5000,
                      Caller.from_arn(f"arn:aws:iam::{ACCOUNT}:user/alice"), ACCOUNT, {})
    cpu_start = time.process_time()
    evaluate(request, policies)
    return lint_cpu / mb, (time.process_time() - cpu_start) / mb, mb, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds to run the decision loop")
    args = parser.parse_args()
    cpu_rate, counts = decisions_per_second(args.seconds)
    print("policy set: 21 statements (identity 12, bucket 4, boundary 2, SCP levels 1+2), 108 distinct requests")
    print(f"decisions:  {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}")
    print(f"decisions per second: {cpu_rate:,.0f} per CPU-second on one core"
          f"   target >= {TARGET:,}: {'met' if cpu_rate >= TARGET else 'NOT met'}")
    cpu, n, found = access_question()
    print(f"access question 'anyone without TLS?': {cpu * 1000:.1f} ms CPU over {n} "
          f"enumerated requests (answer: {'yes, counterexample found' if found else 'no'})")
    per_mb, match_per_mb, mb, findings = lint_seconds_per_mb()
    print(f"policy lint of {mb:.1f} MB with 10,000-character wildcard ARNs: {per_mb:.2f} s CPU per MB "
          f"({findings} findings); every statement asked about a 10,000-character key: {match_per_mb:.2f} s CPU per MB")


if __name__ == "__main__":
    main()
