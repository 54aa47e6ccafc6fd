from typing import Iterable

from ztlab.checks.base import Check
from ztlab.checks.model import CheckMetadata, Controls, Finding, Remediation
from ztlab.snapshot import AccountSnapshot


def instance_arn(snapshot: AccountSnapshot, instance: dict) -> str:
    return f"arn:aws:ec2:{snapshot.region}:{snapshot.account_id}:instance/{instance.get('InstanceId', '')}"


def live_instances(snapshot: AccountSnapshot) -> list[dict]:
    return [i for i in snapshot.ec2.instances if (i.get("State") or {}).get("Name") not in ("terminated", "shutting-down")]


class InstanceImdsv2Required(Check):
    sections = ("ec2",)
    metadata = CheckMetadata(
        id="ec2_instance_imdsv2_required",
        title="EC2 instances require IMDSv2 session tokens",
        service="ec2",
        principle="assume-breach",
        severity="high",
        rationale="IMDSv1 answers any GET, so a server-side request forgery bug hands an attacker the "
        "instance role's credentials. IMDSv2 requires a PUT-obtained token that SSRF cannot fetch.",
        remediation=Remediation(
            cli="aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-endpoint enabled",
            console="EC2 > Instances > the instance > Actions > Instance settings > Modify instance metadata options: "
            "IMDSv2 'Required'.",
        ),
        controls=Controls(fsbp=("EC2.8",), cis=("5.6",)),
    )

    def evaluate(self, snapshot: AccountSnapshot) -> Iterable[Finding]:
        why = snapshot.ec2.unreadable("instances")
        if why:
            yield self.unknown(snapshot.account_arn, f"instances could not be read: {why}", ids=[snapshot.account_id])
            return
        instances = live_instances(snapshot)
        if not instances:
            yield self.account_not_applicable(snapshot, "The account has no running instances.")
        for inst in instances:
            iid = inst.get("InstanceId", "")
            options = inst.get("MetadataOptions") or {}
            tokens, endpoint = options.get("HttpTokens"), options.get("HttpEndpoint", "enabled")
            arn = instance_arn(snapshot, inst)
            if endpoint == "disabled" and inst.get("IamInstanceProfile"):
                # Switching the service off is not IMDSv2: the instance's software can no longer fetch the
                # role credentials it was given, so the fix breaks the workload instead of securing it.
                yield self.failed(arn, f"Instance {iid} has the metadata service turned off, so it can no longer get the "
                                  "credentials of its instance role. Turn it back on and require IMDSv2 tokens instead "
                                  "(--http-endpoint enabled --http-tokens required).",
                                  evidence={"pointer": "/MetadataOptions/HttpEndpoint", "value": endpoint}, ids=[iid])
            elif endpoint == "disabled":
                yield self.passed(arn, f"Instance {iid} has no role and the metadata service turned off: nothing there to steal.", ids=[iid])
            elif tokens == "required":
                yield self.passed(arn, f"Instance {iid} requires IMDSv2 tokens.", ids=[iid])
            elif tokens is None:
                yield self.unknown(arn, f"the metadata options of instance {iid} were not reported", ids=[iid])
            else:
                yield self.failed(arn, f"Instance {iid} still answers IMDSv1 requests (HttpTokens={tokens}).",
                                  evidence={"pointer": "/MetadataOptions/HttpTokens", "value": tokens}, ids=[iid])
