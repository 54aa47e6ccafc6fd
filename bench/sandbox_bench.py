"""Sandbox timings: cold start (launch to answering), warm reuse, reset, stop; first EC2 call.

    PYTHONPATH=. python bench/sandbox_bench.py [--runs 5] [--localstack]

Target: a moto sandbox is ready in <= 1 s. Runs in a throw-away ZTLAB_HOME; stops what it starts.
`--localstack` also times the host-mode LocalStack runtime (needs ZTLAB_LOCALSTACK_VENV).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def summary(name: str, values: list[float], target: float | None = None) -> None:
    median = statistics.median(values)
    verdict = "" if target is None else ("  (target <= %.1f s: %s)" % (target, "met" if median <= target else "MISSED"))
    print(f"{name:<34} median {median:7.3f} s   min {min(values):7.3f}   max {max(values):7.3f}{verdict}")


def bench_moto(runs: int) -> None:
    from ztlab.sandbox import current_sandbox, ensure_running, reset_sandbox, stop_sandbox

    cold, reuse, status, reset, stop, first_ec2_warm, first_ec2_cold = [], [], [], [], [], [], []
    for run in range(runs):
        # Alternate warm-up on/off to show what the background warm-up buys the first EC2 call.
        warm = run % 2 == 0
        os.environ["ZTLAB_SANDBOX_WARM_UP"] = "1" if warm else "0"
        seconds, info = timed(lambda: ensure_running("moto"))
        cold.append(seconds)
        reuse.append(timed(lambda: ensure_running("moto"))[0])
        status.append(timed(current_sandbox)[0])
        clients = info.clients()
        ec2 = clients("ec2")
        if warm:
            time.sleep(6)  # a learner reading the lab's instructions
        (first_ec2_warm if warm else first_ec2_cold).append(timed(ec2.describe_security_groups)[0])
        clients("s3").create_bucket(Bucket=f"bench-{run}")
        clients("iam").create_user(UserName=f"bench-{run}")
        reset.append(timed(lambda: reset_sandbox(info))[0])
        stop.append(timed(lambda: stop_sandbox(info))[0])
    print(f"moto sandbox ({runs} runs)")
    summary("cold start (launch -> answering)", cold, target=1.0)
    summary("warm reuse (ensure_running)", reuse)
    summary("status (health probe)", status)
    summary("reset", reset)
    summary("stop (SIGTERM -> gone)", stop)
    if first_ec2_cold:
        summary("first EC2 call, no warm-up", first_ec2_cold)
    if first_ec2_warm:
        summary("first EC2 call after warm-up", first_ec2_warm)


def bench_localstack(runs: int) -> None:
    from ztlab.sandbox import ensure_running, reset_sandbox, stop_sandbox
    from ztlab.sandbox.localstack_runtime import free_port

    cold, reset, stop = [], [], []
    for _ in range(runs):
        seconds, info = timed(lambda: ensure_running("localstack", port=free_port()))
        cold.append(seconds)
        info.clients()("s3").create_bucket(Bucket="bench-localstack")
        seconds, info = timed(lambda: reset_sandbox(info))
        reset.append(seconds)
        stop.append(timed(lambda: stop_sandbox(info))[0])
    print(f"LocalStack runtime ({runs} runs)")
    summary("cold start (launch -> health)", cold)
    summary("reset (restart)", reset)
    summary("stop", stop)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--localstack", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ztlab-bench-") as home:
        os.environ["ZTLAB_HOME"] = home
        for name in ("AWS_ENDPOINT_URL", "LOCALSTACK_HOST"):
            os.environ.pop(name, None)
        try:
            bench_moto(args.runs)
            if args.localstack:
                bench_localstack(max(1, args.runs // 2))
        finally:
            from ztlab.sandbox import stop_sandbox

            stop_sandbox()


if __name__ == "__main__":
    main()
