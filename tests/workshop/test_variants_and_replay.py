"""Variants and replays against a real (in-process) moto server.

- the recorder keeps the learner's requests, ztlab's own check reads stay out, and a replay with the
  same seed lands on the very same ids;
- per-learner variants give different names, the grader follows them, and one learner's answer
  fails in another learner's account;
- a bundle worked on someone else's variant is flagged by the regrade.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ztlab.content import load_course_or_raise
from ztlab.labs.evidence import LabEvidence
from ztlab.labs.runtime import apply_solution, check_lab, setup_lab
from ztlab.labs.variants import pick_variant
from ztlab.sandbox import recorder
from ztlab.sandbox.ephemeral import ephemeral_moto
from ztlab.workshop import build_bundle, load_workshop, regrade, variant_seed, write_bundle

PACK = Path(__file__).resolve().parent / "packs" / "variant-pack"
LAB = "variant-least-privilege"


@pytest.fixture(scope="module")
def sandbox():
    with ephemeral_moto() as server:
        yield server


@pytest.fixture()
def recording_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """moto's recorder is one per process and writes to ./moto_recording by default; point it here."""
    from moto.moto_api import recorder as moto_recorder

    path = tmp_path / "recording.jsonl"
    monkeypatch.setattr(moto_recorder, "_location", str(path))
    yield path
    moto_recorder.stop_recording()


@pytest.fixture(scope="module")
def course():
    return load_course_or_raise([PACK])


def test_replay_with_the_same_seed_reproduces_ids_and_check_reads_stay_out(sandbox, recording_file) -> None:
    sandbox.reset()
    recorder.seed(sandbox, 1234)
    ec2 = sandbox.clients().client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]  # "setup": not recorded
    s3 = sandbox.clients().client("s3")
    s3.create_bucket(Bucket="replay-exports")
    recorder.start(sandbox, fresh=True)
    # An S3 sub-resource PUT with a body (`PUT /bucket?policy`) and an object whose key needs quoting.
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::replay-exports/*"}]}'
    s3.put_bucket_policy(Bucket="replay-exports", Policy=policy)
    s3.put_object(Bucket="replay-exports", Key="monthly/2026 10.csv", Body=b"a,b\n1,2\n")
    ec2.describe_vpcs()  # a learner's read: kept, it moves moto's random generator
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    with recorder.paused(sandbox, reseed=99):
        ec2.describe_security_groups()  # ztlab's check: not recorded
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}])
    recorder.stop(sandbox)
    entries = recorder.download(sandbox)
    names = [recorder.operation(e) for e in entries]
    assert names == ["s3:PUT /replay-exports?policy", "s3:PUT /replay-exports/monthly/2026%2010.csv", "ec2:DescribeVpcs", "ec2:CreateSecurityGroup", "moto:seed", "ec2:CreateSecurityGroup",
                     "ec2:AuthorizeSecurityGroupIngress"]
    assert [recorder.changes_state(e) for e in entries] == [True, True, False, True, False, True, True]

    sandbox.reset()
    recorder.seed(sandbox, 1234)
    assert ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"] == vpc
    s3.create_bucket(Bucket="replay-exports")
    outcome = recorder.replay(entries, sandbox.endpoint_url)
    assert outcome.errors == [] and outcome.sent == len(entries)
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert groups["web"]["GroupId"] == web and groups["db"]["GroupId"] == db
    assert groups["db"]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == web
    assert s3.get_bucket_policy(Bucket="replay-exports")["Policy"] == policy
    assert s3.get_object(Bucket="replay-exports", Key="monthly/2026 10.csv")["Body"].read() == b"a,b\n1,2\n"


def test_a_forged_recording_cannot_drive_the_servers_control_api(sandbox) -> None:
    upload = {"method": "POST", "url": "http://127.0.0.1:5000/moto-api/recorder/upload-recording", "headers": {},
              "body": '{"method": "GET", "url": "http://example.com/"}', "body_encoded": False}
    replay_it = {"method": "POST", "url": "http://127.0.0.1:5000/moto-api/recorder/replay-recording", "headers": {},
                 "body": "", "body_encoded": False}
    outcome = recorder.replay([upload, replay_it], sandbox.endpoint_url)
    assert outcome.sent == 0 and len(outcome.errors) == 2


def test_replay_into_a_dead_server_says_so() -> None:
    entry = {"method": "POST", "url": "http://127.0.0.1:1/", "headers": {}, "body": "Action=ListUsers", "body_encoded": False}
    outcome = recorder.replay([entry, {"garbage": True}], "http://127.0.0.1:9")
    assert len(outcome.errors) == 2


def test_variants_differ_per_learner_and_the_grader_follows_them(sandbox, course) -> None:
    lab = course.labs[LAB]
    picks = {tuple(pick_variant(lab, f"seed/{name}").values()) for name in ("ada", "bo", "cy", "di", "ed", "flo")}
    assert len(picks) > 1
    assert pick_variant(lab, "seed/ada") == pick_variant(lab, "seed/ada")
    assert pick_variant(lab, None) == {"exports_bucket": "nw-finance-exports", "payroll_bucket": "nw-payroll-records"}
    ada_seed, other_seed = "seed/ada", next(f"seed/{n}" for n in ("bo", "cy", "di", "ed", "flo")
                                            if pick_variant(lab, f"seed/{n}")["exports_bucket"] != pick_variant(lab, "seed/ada")["exports_bucket"])

    sandbox.reset()
    names = setup_lab(course, lab, sandbox, variant_seed=ada_seed)
    buckets = {b["Name"] for b in sandbox.clients().client("s3").list_buckets()["Buckets"]}
    assert buckets == {names["exports_bucket"], names["payroll_bucket"]}
    apply_solution(course, lab, sandbox, names)
    assert check_lab(lab, sandbox, names).passed

    # The other learner's answer (their bucket names) in Ada's account: the job cannot read its exports.
    sandbox.reset()
    names = setup_lab(course, lab, sandbox, variant_seed=ada_seed)
    other_names = {**names, **pick_variant(lab, other_seed)}
    apply_solution(course, lab, sandbox, other_names)
    result = check_lab(lab, sandbox, names)
    assert {o.id: o.status for o in result.objectives}["reads-monthly-exports"] == "FAIL"


def test_regrade_flags_work_done_on_another_learners_variant(tmp_path: Path, sandbox, course, monkeypatch) -> None:
    monkeypatch.setenv("ZTLAB_WORKSHOP", "")
    file = tmp_path / "class.yaml"
    file.write_text(f"title: Variants\nkey: k-variants-0123456789\nvariant_seed: spring\nitems:\n  - {{lab: {LAB}, minutes: 20}}\n")
    loaded = load_workshop(file, course)
    lab = course.labs[LAB]
    names_to_try = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo"]
    ada_variant = variant_seed(loaded.workshop, "Ada")
    other = next(n for n in names_to_try[1:] if pick_variant(lab, variant_seed(loaded.workshop, n)) != pick_variant(lab, ada_variant))

    # Ada's untouched account, checked once: every objective fails, and that is what she claims.
    sandbox.reset()
    seed = recorder.seed_for(LAB, ada_variant)
    recorder.seed(sandbox, seed)
    names = setup_lab(course, lab, sandbox, variant_seed=ada_variant)
    result = check_lab(lab, sandbox, names)
    evidence = LabEvidence(LAB, seed=seed, variant_seed=ada_variant, variant=pick_variant(lab, ada_variant), names=names)
    evidence.claimed = {"score": result.score, "max_score": result.max_score, "passed": result.passed,
                        "objectives": {o.id: o.status for o in result.objectives}}
    key = b"k-variants-0123456789"
    honest = write_bundle(build_bundle(loaded, "Ada", {LAB: evidence}, key), tmp_path / "honest")
    borrowed = write_bundle(build_bundle(loaded, other, {LAB: evidence}, key), tmp_path / "borrowed")

    verdicts = {v.learner: v for v in regrade([honest, borrowed], course, loaded, key)}
    assert not verdicts["Ada"].flagged, verdicts["Ada"].reasons()
    assert verdicts[other].flagged
    assert any("another variant" in reason for reason in verdicts[other].reasons())
