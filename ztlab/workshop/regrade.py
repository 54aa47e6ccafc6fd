"""Regrade submissions: check the signature, replay each lab's recorded requests into a fresh
private moto server (same seed, same setup, same variant) and grade again.

A bundle is flagged when its signature is wrong, when the replayed verdicts differ from the ones it
claims, when a lab cannot be replayed, or when it shows the reference solution or another
learner's variant. Anything the replay passes was really done to the account.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ztlab.content import Course
from ztlab.workshop.bundle import BundleError, read_bundle, signature_ok
from ztlab.workshop.file import LoadedWorkshop
from ztlab.workshop.learner import variant_seed


@dataclass
class LabRegrade:
    lab: str
    claimed: dict[str, str] | None = None
    replayed: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class BundleVerdict:
    path: Path
    learner: str = "?"
    signature: str = "unchecked"  # ok | bad | unchecked (no key given)
    problems: list[str] = field(default_factory=list)  # bundle-wide
    labs: list[LabRegrade] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.signature == "bad" or bool(self.problems) or any(lab.problems for lab in self.labs)

    def reasons(self) -> list[str]:
        found = list(self.problems)
        if self.signature == "bad":
            found.insert(0, "the signature does not match: the file was changed after it was signed, or signed with another key")
        found += [f"{lab.lab}: {problem}" for lab in self.labs for problem in lab.problems]
        return found

    def to_json(self) -> dict[str, Any]:
        return {"bundle": str(self.path), "learner": self.learner, "signature": self.signature, "flagged": self.flagged,
                "reasons": self.reasons(),
                "labs": [{"lab": l.lab, "claimed": l.claimed, "replayed": l.replayed, "problems": l.problems} for l in self.labs]}


class _ReusedClients:
    """The private server with one set of boto3 clients for every bundle: making a client loads its
    service model, and a fresh set per lab cost seconds per bundle."""

    def __init__(self, server):
        self._server = server
        self._clients = server.clients()

    def clients(self):
        return self._clients

    def __getattr__(self, name: str):
        return getattr(self._server, name)


def regrade(paths: list[Path], course: Course, loaded: LoadedWorkshop | None, key: bytes | None,
            *, trust_code: bool = False, on_verdict=None) -> list[BundleVerdict]:
    """Regrade every bundle with one private moto server, reset between labs."""
    from ztlab.sandbox.ephemeral import ephemeral_moto

    verdicts = []
    with ephemeral_moto() as server:
        sandbox = _ReusedClients(server)
        for path in paths:
            verdict = regrade_one(Path(path), course, loaded, key, sandbox, trust_code=trust_code)
            verdicts.append(verdict)
            if on_verdict:
                on_verdict(verdict)
    return verdicts


def regrade_one(path: Path, course: Course, loaded: LoadedWorkshop | None, key: bytes | None, sandbox,
                *, trust_code: bool = False) -> BundleVerdict:
    verdict = BundleVerdict(path)
    try:
        bundle = read_bundle(path)
    except BundleError as exc:
        verdict.problems.append(str(exc))
        return verdict
    learner = str(bundle["learner"].get("name", "?"))
    verdict.learner = learner
    if key is not None:
        verdict.signature = "ok" if signature_ok(bundle, key) else "bad"
    if loaded is not None:
        made_for = (bundle.get("workshop") or {}).get("file_sha256")
        if made_for != loaded.sha256:
            verdict.problems.append(f"made for another version of the workshop file (sha256 {str(made_for)[:12]}..., "
                                    f"yours is {loaded.sha256[:12]}...)")
    for entry in bundle["labs"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("lab"), str):
            verdict.problems.append("a lab entry is malformed")
            continue
        verdict.labs.append(_regrade_lab(entry, learner, course, loaded, sandbox, trust_code))
    return verdict


def _regrade_lab(entry: dict[str, Any], learner: str, course: Course, loaded: LoadedWorkshop | None, sandbox,
                 trust_code: bool) -> LabRegrade:
    from ztlab.labs.errors import expected_errors
    from ztlab.labs.runtime import check_lab, setup_lab
    from ztlab.labs.variants import pick_variant
    from ztlab.sandbox import recorder

    lab_id = entry["lab"]
    claimed_block = entry.get("claimed")
    result = LabRegrade(lab_id)
    if claimed_block is None:
        return result  # not started or never checked: nothing is claimed, nothing to prove
    claimed = claimed_block.get("objectives") if isinstance(claimed_block, dict) else None
    if not isinstance(claimed, dict):
        result.problems.append("its claimed results are malformed")
        return result
    result.claimed = {str(k): str(v) for k, v in claimed.items()}
    lab = course.labs.get(lab_id)
    if lab is None:
        result.problems.append("this lab is not in your course, so it cannot be replayed")
        return result
    if entry.get("reference_solution_used"):
        result.problems.append("the reference solution was applied (`ztlab lab solve`)")
    if not entry.get("recorded", False):
        result.problems.append(f"cannot be replayed: it ran on the {entry.get('backend', '?')} back end, which records nothing")
        return result
    if loaded is not None and lab.variants is not None:
        mine = pick_variant(lab, variant_seed(loaded.workshop, learner))
        if pick_variant(lab, entry.get("variant_seed")) != mine:
            result.problems.append(f"worked on another variant than the one for '{learner}' "
                                   f"({', '.join(f'{k}={v}' for k, v in mine.items())}): started under another name?")
    recording = entry.get("recording")
    seed = entry.get("seed")
    if not isinstance(recording, list) or not isinstance(seed, int):
        result.problems.append("cannot be replayed: the recording or seed is missing")
        return result
    try:
        sandbox.reset()
        recorder.seed(sandbox, seed)
        names = setup_lab(course, lab, sandbox, trust_code=trust_code, variant_seed=entry.get("variant_seed"))
        # The workspace is a folder on the learner's machine, not part of the account's setup.
        claimed_names = {k: v for k, v in (entry.get("names") or {}).items() if k != "workspace"}
        if entry.get("names") is not None and claimed_names != {k: v for k, v in names.items() if k != "workspace"}:
            result.problems.append("the lab's setup came out differently from the learner's (another version of the lab?)")
        # The in-process moto server prints notes (services it lacks) to stdout; keep it for our output.
        with contextlib.redirect_stdout(io.StringIO()):
            outcome = recorder.replay(recording, sandbox.endpoint_url)
            if outcome.errors:
                result.problems.append("cannot be replayed: " + "; ".join(outcome.errors[:3]))
                return result
            graded = check_lab(lab, sandbox, names)
    except expected_errors() as exc:
        result.problems.append(f"cannot be replayed: {exc}")
        return result
    result.replayed = {o.id: o.status for o in graded.objectives}
    for objective_id in sorted(set(result.claimed) | set(result.replayed)):
        said, found = result.claimed.get(objective_id, "missing"), result.replayed.get(objective_id, "missing")
        if said != found:
            result.problems.append(f"objective '{objective_id}' claimed {said} but the replay gives {found}")
    return result
