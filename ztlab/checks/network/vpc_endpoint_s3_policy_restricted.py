"""An S3 endpoint's policy decides which buckets the VPC can reach; the default one reaches them all."""

from __future__ import annotations

from typing import Iterable

from ztlab.access import named_callers, standard_callers
from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Finding, Remediation
from ztlab.policy import PolicyError, PolicySet, Request, evaluate, parse_policy
from ztlab.snapshot import AccountSnapshot

# A bucket nobody in the account owns: if the endpoint lets the VPC write to it, data can leave.
OUTSIDE_BUCKET = "arn:aws:s3:::ztlab-probe-outside-bucket"
OUTSIDE_ACCOUNT = "777766665555"
_PROBE_ACTIONS = ("s3:PutObject", "s3:GetObject")


class VpcEndpointS3PolicyRestricted(Check):
    sections = ("ec2", "s3")
    metadata = CheckMetadata(
        id="vpc_endpoint_s3_policy_restricted",
        title="S3 VPC endpoint policies reach only the account's own buckets",
        service="ec2",
        principle="least-privilege",
        severity="medium",
        rationale="The default endpoint policy allows every action on every bucket in the world, so malware in "
        "the VPC can copy data to an attacker's bucket through your own private path. Limit the endpoint to "
        "the buckets the workloads use.",
        remediation=Remediation(
            cli="aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce-id> --policy-document file://endpoint-policy.json "
            "(Allow the needed s3 actions on arn:aws:s3:::<bucket> and arn:aws:s3:::<bucket>/* only)",
            console="VPC > Endpoints > the S3 endpoint > Policy > Edit: Custom, allow only your buckets.",
        ),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("vpc_endpoints")
        if why:
            yield self.unknown(snapshot.account_arn, f"vpc endpoints could not be read: {why}", ids=[snapshot.account_id])
            return
        endpoints = [e for e in snapshot.ec2.vpc_endpoints if str(e.get("ServiceName", "")).endswith(".s3")]
        if not endpoints:
            yield self.account_not_applicable(snapshot, "The account has no S3 VPC endpoints.")
        own_buckets = [b.arn for b in snapshot.s3.buckets]
        for endpoint in endpoints:
            eid = endpoint.get("VpcEndpointId", "")
            arn = f"arn:aws:ec2:{snapshot.region}:{endpoint.get('OwnerId') or snapshot.account_id}:vpc-endpoint/{eid}"
            ids = [eid, endpoint.get("VpcId", "")]
            text = endpoint.get("PolicyDocument")
            if not text:
                yield self.failed(arn, f"Endpoint {eid} has no policy, which means full access to every bucket.", ids=ids)
                continue
            try:
                policy = parse_policy(text, name=f"policy of endpoint {eid}")
            except PolicyError as exc:
                yield self.failed(arn, f"The policy of endpoint {eid} cannot be parsed: {exc}", ids=ids)
                continue
            callers = standard_callers(snapshot.account_id)[:2] + named_callers([policy], snapshot.account_id)
            # The account root is allowed everything in its own account, so it would prove nothing here.
            callers = [c for c in callers if c.account == snapshot.account_id and c.principal_type != "Account"] or callers[:1]
            policies = PolicySet(resource=policy)

            def allowed(caller, action: str, resource: str, owner: str) -> bool:
                context = {"s3:ResourceAccount": owner, "aws:ResourceAccount": owner}
                request = Request(action, resource, caller, snapshot.account_id, context)
                return evaluate(request, policies).decision == "allowed"

            leak = next(((c, a) for c in callers for a in _PROBE_ACTIONS
                         if allowed(c, a, f"{OUTSIDE_BUCKET}/exfil.tar", OUTSIDE_ACCOUNT)), None)
            if leak:
                caller, action = leak
                yield self.failed(arn, f"Endpoint {eid} lets {caller.arn} call {action} on a bucket outside the account "
                                  f"({OUTSIDE_BUCKET}): data can leave through it. Allow only your own buckets.",
                                  evidence={"pointer": "/PolicyDocument", "probe": f"{action} {OUTSIDE_BUCKET}/exfil.tar"}, ids=ids)
                continue
            reachable = [b for b in own_buckets
                         if any(allowed(c, a, f"{b}/ztlab-probe.txt", snapshot.account_id) for c in callers for a in _PROBE_ACTIONS)]
            if own_buckets and not reachable:
                yield self.failed(arn, f"Endpoint {eid} allows no bucket of this account: workloads behind it can no longer use S3.",
                                  evidence={"pointer": "/PolicyDocument"}, ids=ids)
                continue
            names = ", ".join(b.rsplit(":", 1)[-1] for b in reachable) or "no bucket yet"
            yield self.passed(arn, f"Endpoint {eid} reaches only buckets of this account ({names}).", ids=ids)
