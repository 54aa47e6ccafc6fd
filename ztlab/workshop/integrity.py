"""What bundles say about each other and about themselves, without replaying anything.

A learner holds the workshop key, so a signature proves nothing against them; these are the checks
that need no key and no server, shared by the report (live, every few seconds) and the regrade:

- one lab entry per lab (a second, copied entry would be read instead of the learner's own);
- one bundle per learner (two bundles under one name hide which one counts);
- no recording shared between two learners (a copied session, byte for byte);
- no calls to the emulator's control routes (a reset empties the account the lab is graded on);
- claimed points that match the claimed verdicts and the lab's own point table.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ztlab.content import Course

# ztlab re-seeds moto after each of its own checks; a recording holds those, and nothing else of moto's API.
ZTLAB_CONTROL_PATHS = ("/moto-api/seed",)


def same_learner(name: str) -> str:
    """Names that a person would read as one: case and spacing do not make a second learner."""
    return " ".join(str(name).split()).casefold()


def control_route_calls(recording: Any) -> list[str]:
    """The emulator control routes a recording calls, other than ztlab's own re-seeds."""
    found = []
    for entry in recording if isinstance(recording, list) else []:
        path = urlsplit(str(entry.get("url", ""))).path if isinstance(entry, dict) else ""
        if path.startswith("/moto-api/") and path not in ZTLAB_CONTROL_PATHS:
            found.append(path)
    return found


def recording_fingerprint(recording: Any) -> str | None:
    """A digest of what was sent and when, or None for a recording with no change to the account.

    Host, port and signatures are left out: each learner's sandbox listens on its own port, and a
    copy with the Host header rewritten is still the same session. The signing time is kept: two
    people typing the same command never send it in the same second all session long."""
    if not isinstance(recording, list):
        return None
    from ztlab.sandbox.recorder import changes_state

    sent = []
    changes = 0
    for entry in recording:
        if not isinstance(entry, dict):
            continue
        try:
            changes += changes_state(entry)
        except (AttributeError, TypeError, ValueError):
            pass
        headers = {str(k).lower(): v for k, v in (entry.get("headers") or {}).items()} if isinstance(entry.get("headers"), dict) else {}
        parts = urlsplit(str(entry.get("url", "")))
        sent.append([entry.get("method"), parts.path, parts.query, entry.get("body"), headers.get("x-amz-date")])
    if not changes:
        return None
    return hashlib.sha256(json.dumps(sent, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def points_for(lab, statuses: dict[str, str]) -> tuple[int, int]:
    """(score, max score) that these objective verdicts are worth in the lab's point table."""
    score = sum(o.points for o in lab.objectives if statuses.get(o.id) == "PASS")
    return score, sum(o.points for o in lab.objectives)


def claimed_points_problems(entry: dict[str, Any], course: Course | None) -> list[str]:
    """Points the bundle claims that its own verdicts do not earn (an edited score)."""
    claimed = entry.get("claimed")
    lab = course.labs.get(str(entry.get("lab"))) if course else None
    if not isinstance(claimed, dict) or lab is None or not isinstance(claimed.get("objectives"), dict):
        return []
    statuses = {str(k): str(v) for k, v in claimed["objectives"].items()}
    score, max_score = points_for(lab, statuses)
    problems = []
    if claimed.get("score") != score:
        problems.append(f"claims {claimed.get('score')!r} points where its own verdicts earn {score}")
    if claimed.get("max_score") != max_score:
        problems.append(f"claims a maximum of {claimed.get('max_score')!r} points where the lab has {max_score}")
    if "passed" in claimed and claimed["passed"] is not all(statuses.get(o.id) == "PASS" for o in lab.objectives):
        problems.append(f"claims passed={claimed['passed']!r}, which its own verdicts contradict")
    return problems


def bundle_problems(bundle: dict[str, Any], course: Course | None, lab_ids: list[str] | None) -> list[str]:
    """What is wrong inside one bundle, readable without its siblings."""
    problems = []
    seen: dict[str, int] = defaultdict(int)
    for entry in bundle.get("labs", []):
        if isinstance(entry, dict) and isinstance(entry.get("lab"), str):
            seen[entry["lab"]] += 1
    for lab_id, count in seen.items():
        if count > 1:
            problems.append(f"{lab_id}: the bundle holds {count} entries for this lab (one was copied in?)")
        if lab_ids is not None and lab_id not in lab_ids:
            problems.append(f"{lab_id}: this lab is not part of the workshop")
    for entry in bundle.get("labs", []):
        if not isinstance(entry, dict):
            continue
        calls = control_route_calls(entry.get("recording"))
        if calls:
            problems.append(f"{entry.get('lab')}: the recording calls the emulator's control routes "
                            f"({', '.join(sorted(set(calls)))}): the account was reset or driven outside AWS's APIs")
        problems += [f"{entry.get('lab')}: {p}" for p in claimed_points_problems(entry, course)]
    return problems


def class_problems(bundles: list[tuple[Path, dict[str, Any]]]) -> dict[Path, list[str]]:
    """What bundles say about each other: one learner in several bundles, one session in several learners'."""
    found: dict[Path, list[str]] = defaultdict(list)
    by_name: dict[str, list[Path]] = defaultdict(list)
    by_recording: dict[tuple[str, str], list[tuple[Path, str]]] = defaultdict(list)
    for path, bundle in bundles:
        name = str((bundle.get("learner") or {}).get("name", ""))
        by_name[same_learner(name)].append(path)
        for entry in bundle.get("labs", []):
            if isinstance(entry, dict):
                fingerprint = recording_fingerprint(entry.get("recording"))
                if fingerprint:
                    by_recording[(str(entry.get("lab")), fingerprint)].append((path, name))
    for paths in by_name.values():
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(p.name for p in paths if p != path)
                found[path].append(f"the same learner also submitted {others}: which one counts?")
    for (lab_id, _), holders in by_recording.items():
        names = {same_learner(name) for _, name in holders}
        if len(names) > 1:
            for path, name in holders:
                others = ", ".join(sorted({repr(n) for _, n in holders if same_learner(n) != same_learner(name)}))
                found[path].append(f"{lab_id}: the recorded session is identical to {others}'s (copied work?)")
    return dict(found)
