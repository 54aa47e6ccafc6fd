"""Preparing moto's routing ahead of a lab's first check must leave the workshop evidence alone.

The preparation runs in the sandbox while the learner's requests are being recorded; a regrade
replays that recording into a fresh server and relies on every id coming out the same. So it may
neither add a request to the recording nor draw from moto's seeded id generator.
"""

from __future__ import annotations

import pytest

from ztlab.sandbox import recorder
from ztlab.sandbox.ephemeral import ephemeral_moto
from ztlab.sandbox.moto_routing import prepare_routing
from ztlab.snapshot.sections import services_of
from ztlab.snapshot.services import READERS

pytestmark = pytest.mark.server


def _recorded_group_after(sandbox, prepare: bool) -> tuple[str, list[str]]:
    sandbox.reset()
    recorder.start(sandbox, fresh=True)
    recorder.seed(sandbox, 1234)
    ec2 = sandbox.clients().client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    if prepare:
        prepare_routing(services_of(READERS))
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    recorder.stop(sandbox)
    return group, [recorder.operation(entry) for entry in recorder.download(sandbox)]


def test_preparing_routing_records_nothing_and_keeps_the_ids_a_replay_expects():
    with ephemeral_moto() as sandbox:
        plain_group, plain_recording = _recorded_group_after(sandbox, prepare=False)
        prepared_group, prepared_recording = _recorded_group_after(sandbox, prepare=True)
        assert prepared_group == plain_group
        assert prepared_recording == plain_recording
        assert sandbox.clients().client("s3").list_buckets()["Buckets"] == []  # routing still answers
