"""Regrade submissions: check the signature, replay each lab's recorded requests into a fresh
private moto server (same seed, same setup, same variant) and grade again.

A bundle is flagged when its signature is wrong, when the replayed verdicts or points differ from the
ones it claims, when a lab cannot be replayed (or overruns its time limit), when it shows the
reference solution or another learner's variant, and for what `integrity` finds: duplicated lab
entries or learners, a session shared with another learner, calls to the emulator's control routes.
Anything the replay passes was really done to the account; the points are recomputed from the
replay's verdicts and the lab's own point table, never taken from the bundle.

What a replay cannot prove: who typed the commands, and the self-reported fields (minutes spent,
hints taken, checks made) beyond the recorded requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ztlab.content import Course
from ztlab.workshop import verified
from ztlab.workshop.bundle import BundleError, read_bundle, signature_ok
from ztlab.workshop.file import LoadedWorkshop
from ztlab.workshop.integrity import bundle_problems, class_problems
from ztlab.workshop.learner import variant_seed
from ztlab.workshop.replayer import DEFAULT_LAB_TIMEOUT, Replayer, ReplayTimeout


@dataclass
class LabRegrade:
    lab: str
    claimed: dict[str, str] | None = None
    replayed: dict[str, str] | None = None
    problems: list[str] = field(default_factory=list)
    claimed_score: Any = None
    score: int | None = None  # recomputed from the replay's verdicts and the lab's point table
    max_score: int | None = None


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
                "labs": [{"lab": l.lab, "claimed": l.claimed, "replayed": l.replayed, "claimed_score": l.claimed_score,
                          "score": l.score, "max_score": l.max_score, "problems": l.problems} for l in self.labs]}


def regrade(paths: list[Path], course: Course, loaded: LoadedWorkshop | None, key: bytes | None,
            *, trust_code: bool = False, on_verdict=None, lab_timeout: float = DEFAULT_LAB_TIMEOUT,
            save: bool = True) -> list[BundleVerdict]:
    """Regrade every bundle: one replay worker (a private moto server), reset between labs, each lab
    under `lab_timeout` seconds. Each verdict is saved (see `verified`) so the class report shows
    the recomputed figures from then on."""
    readable: list[tuple[Path, dict[str, Any]]] = []
    unreadable: dict[Path, str] = {}
    for path in map(Path, paths):
        try:
            readable.append((path, read_bundle(path)))
        except BundleError as exc:
            unreadable[path] = str(exc)
    across = class_problems(readable)
    bundles = dict(readable)
    roots = [r for r in course.roots if r != course.builtin_root]
    verdicts = []
    with Replayer(roots, course.builtin_root is not None, trust_code=trust_code, lab_timeout=lab_timeout) as replayer:
        for path in map(Path, paths):
            verdict = BundleVerdict(path)
            if path in unreadable:
                verdict.problems.append(unreadable[path])
            else:
                _regrade_bundle(verdict, bundles[path], course, loaded, key, replayer)
                verdict.problems += across.get(path, [])
                if save:
                    verified.save(path, verdict)
            verdicts.append(verdict)
            if on_verdict:
                on_verdict(verdict)
    return verdicts


def _regrade_bundle(verdict: BundleVerdict, bundle: dict[str, Any], course: Course, loaded: LoadedWorkshop | None,
                    key: bytes | None, replayer: Replayer) -> None:
    learner = str(bundle["learner"].get("name", "?"))
    verdict.learner = learner
    if key is not None:
        verdict.signature = "ok" if signature_ok(bundle, key) else "bad"
    if loaded is not None:
        made_for = (bundle.get("workshop") or {}).get("file_sha256")
        if made_for != loaded.sha256:
            verdict.problems.append(f"made for another version of the workshop file (sha256 {str(made_for)[:12]}..., "
                                    f"yours is {loaded.sha256[:12]}...)")
    verdict.problems += bundle_problems(bundle, course, loaded.workshop.lab_ids if loaded else None)
    for entry in bundle["labs"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("lab"), str):
            verdict.problems.append("a lab entry is malformed")
            continue
        verdict.labs.append(_regrade_lab(entry, learner, course, loaded, replayer))


def _regrade_lab(entry: dict[str, Any], learner: str, course: Course, loaded: LoadedWorkshop | None,
                 replayer: Replayer) -> LabRegrade:
    from ztlab.labs.variants import pick_variant

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
    result.claimed_score = claimed_block.get("score")
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
    if not isinstance(entry.get("recording"), list) or not isinstance(entry.get("seed"), int):
        result.problems.append("cannot be replayed: the recording or seed is missing")
        return result
    try:
        replayed = replayer.replay(entry, entry.get("variant_seed") if isinstance(entry.get("variant_seed"), str) else None)
    except ReplayTimeout as exc:
        result.problems.append(str(exc))
        return result
    result.problems += replayed.problems
    if replayed.statuses is None:
        return result
    result.replayed = replayed.statuses
    result.score, result.max_score = replayed.score, replayed.max_score
    for objective_id in sorted(set(result.claimed) | set(result.replayed)):
        said, found = result.claimed.get(objective_id, "missing"), result.replayed.get(objective_id, "missing")
        if said != found:
            result.problems.append(f"objective '{objective_id}' claimed {said} but the replay gives {found}")
    if result.claimed_score != replayed.score:
        result.problems.append(f"claimed {result.claimed_score!r} points but the replay earns {replayed.score} "
                               f"of {replayed.max_score}")
    return result
