"""Snapshot and audit timings on a real moto server.

    PYTHONPATH=. python bench/audit_bench.py [--resources 1000]

Prints: the first EC2 call of a process (moto's and botocore's one-off cost), snapshot time for a
lab-sized account (cold process and warm), snapshot time for an account of ~N resources, and the
time `run_checks` takes over that snapshot (target: audit <= 2 s for 1,000 resources).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def tls_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})


def build_lab(clients) -> int:
    """About 20 resources: what one lab creates."""
    s3, ec2, iam, kms = (clients.client(s) for s in ("s3", "ec2", "iam", "kms"))
    for i in range(3):
        s3.create_bucket(Bucket=f"lab-bucket-{i}")
        s3.put_bucket_policy(Bucket=f"lab-bucket-{i}", Policy=tls_policy(f"lab-bucket-{i}"))
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    previous = None
    for tier in ("web", "app", "db"):
        gid = ec2.create_security_group(GroupName=tier, Description=tier, VpcId=vpc)["GroupId"]
        source = {"IpRanges": [{"CidrIp": "0.0.0.0/0"}]} if previous is None else {"UserIdGroupPairs": [{"GroupId": previous}]}
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, **source}])
        previous = gid
    for i in range(3):
        iam.create_user(UserName=f"lab-user-{i}")
        iam.put_user_policy(UserName=f"lab-user-{i}", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    iam.create_role(RoleName="lab-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}]}))
    for _ in range(2):
        kms.create_key()
    return 3 + 1 + 3 + 3 + 1 + 2


def build_large(clients, n: int) -> int:
    """About n resources spread like a real account: mostly SGs, buckets, IAM, keys, secrets."""
    s3, ec2, iam, kms, sm = (clients.client(s) for s in ("s3", "ec2", "iam", "kms", "secretsmanager"))
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    made = 1
    share = {"sg": 0.35, "bucket": 0.2, "user": 0.1, "role": 0.1, "policy": 0.1, "key": 0.1, "secret": 0.05}
    counts = {k: max(1, int(n * v)) for k, v in share.items()}
    for i in range(counts["sg"]):
        gid = ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=vpc)["GroupId"]
        cidr = "0.0.0.0/0" if i % 10 == 0 else f"10.1.{i % 250}.0/24"
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22 if i % 10 == 0 else 8000 + i % 100, "ToPort": 22 if i % 10 == 0 else 8000 + i % 100,
             "IpRanges": [{"CidrIp": cidr}]}])
    for i in range(counts["bucket"]):
        name = f"bench-bucket-{i}"
        s3.create_bucket(Bucket=name)
        if i % 2 == 0:
            s3.put_bucket_policy(Bucket=name, Policy=tls_policy(name))
    policy_doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]})
    arns = [iam.create_policy(PolicyName=f"bench-policy-{i}", PolicyDocument=policy_doc)["Policy"]["Arn"] for i in range(counts["policy"])]
    for i in range(counts["user"]):
        iam.create_user(UserName=f"bench-user-{i}")
        iam.attach_user_policy(UserName=f"bench-user-{i}", PolicyArn=arns[i % len(arns)])
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    for i in range(counts["role"]):
        iam.create_role(RoleName=f"bench-role-{i}", AssumeRolePolicyDocument=trust)
    for _ in range(counts["key"]):
        kms.create_key()
    for i in range(counts["secret"]):
        sm.create_secret(Name=f"bench-secret-{i}", SecretString="x")
    return made + sum(counts.values())


def reset(endpoint: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=60).read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--save", type=Path, help="save the large account's snapshot here")
    parser.add_argument("--audit-only", type=Path, metavar="SNAPSHOT", help="only time the audit over a saved snapshot")
    args = parser.parse_args()
    if args.audit_only:
        audit_only(args.audit_only)
        return
    from ztlab.checks import all_checks, run_checks
    from ztlab.sandbox import SandboxClients
    from ztlab.snapshot import read_snapshot

    # A separate server process, as the sandbox runs: the reader does not share a GIL with moto.
    server, endpoint = start_moto_process()
    try:
        clients = SandboxClients(endpoint, "us-east-1")
        first_ec2, _ = timed(lambda: clients.client("ec2").describe_vpcs())
        print(f"first EC2 call in this process (client + moto backend): {first_ec2:.2f} s")

        lab = build_lab(clients)
        cold, snap = timed(lambda: read_snapshot(clients, region="us-east-1"))
        warm, snap = timed(lambda: read_snapshot(clients, region="us-east-1"), repeat=3)
        print(f"lab-sized account (~{lab} resources): snapshot {cold:.2f} s first read, {warm:.2f} s warm (median of 3)")
        audit, findings = timed(lambda: run_checks(snap, all_checks()), repeat=3)
        print(f"lab-sized account: audit with {len(all_checks())} checks {audit:.3f} s, {len(findings)} findings")

        reset(endpoint)
        start = time.perf_counter()
        made = build_large(clients, args.resources)
        print(f"built a {made}-resource account in {time.perf_counter() - start:.1f} s")
        large_read, big = timed(lambda: read_snapshot(clients, region="us-east-1"), repeat=2)
        print(f"{made}-resource account: snapshot {large_read:.2f} s (median of 2)")
        if args.save:
            big.save(args.save)
        time_audit(big, f"{made}-resource account")
    finally:
        server.terminate()
        server.wait(timeout=10)


def start_moto_process():
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2).read()
            return process, endpoint
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the moto server did not start within 60 s")


def time_audit(snapshot, label: str) -> None:
    from ztlab.checks import all_checks, run_checks

    big_audit, findings = timed(lambda: run_checks(snapshot, all_checks()), repeat=3)
    verdict = "OK" if big_audit <= 2.0 else "OVER TARGET"
    print(f"{label}: audit {big_audit:.3f} s over the snapshot, {len(findings)} findings (target <= 2 s: {verdict})")
    slowest = sorted(((timed(lambda c=c: c.run(snapshot))[0], c.id) for c in all_checks()), reverse=True)[:5]
    print("slowest checks: " + ", ".join(f"{cid} {t * 1000:.0f} ms" for t, cid in slowest))


def audit_only(path: Path) -> None:
    from ztlab.snapshot import AccountSnapshot

    snapshot = AccountSnapshot.load(path)
    time_audit(snapshot, f"saved snapshot {path.name}")


if __name__ == "__main__":
    main()
