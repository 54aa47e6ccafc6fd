"""Submission bundles: one signed JSON file per learner.

The signature is HMAC-SHA256 over the canonical JSON of everything else (sorted keys, no spaces,
UTF-8), with the workshop's key. See `ztlab workshop init` for what it does and does not prove.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

from ztlab import __version__
from ztlab.labs.evidence import LabEvidence
from ztlab.sandbox.recorder import changes_state
from ztlab.workshop.file import LoadedWorkshop

FORMAT = "ztlab-workshop-submission/1"


class BundleError(Exception):
    """A file that is not a readable submission bundle."""


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(body: dict[str, Any], key: bytes) -> str:
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()


def signature_ok(bundle: dict[str, Any], key: bytes) -> bool:
    claimed = (bundle.get("signature") or {}).get("value", "")
    body = {k: v for k, v in bundle.items() if k != "signature"}
    return isinstance(claimed, str) and hmac.compare_digest(claimed, sign(body, key))


def lab_entry(evidence: LabEvidence, minutes: int, submitted_at: float) -> dict[str, Any]:
    end = evidence.last_check_at or submitted_at
    return {
        "lab": evidence.lab_id,
        "time_box_minutes": minutes,
        "seed": evidence.seed,
        "variant_seed": evidence.variant_seed,
        "variant": evidence.variant,
        "names": evidence.names,
        "backend": evidence.backend,
        "recorded": evidence.recorded,
        "started_at": evidence.started_at,
        "first_started_at": evidence.first_started_at,
        "last_check_at": evidence.last_check_at,
        "minutes_spent": round(max(0.0, end - evidence.first_started_at) / 60, 1),
        "starts": evidence.starts,
        "checks": evidence.checks,
        "failed_checks": evidence.failed_checks,
        "hints": evidence.hints,
        "hints_used": evidence.hints_used,
        "reference_solution_used": evidence.reference_solution_used,
        "claimed": evidence.claimed,
        "check_history": evidence.history,
        "state_changing_calls": sum(1 for entry in evidence.recording if changes_state(entry)),
        "recording": evidence.recording,
    }


def build_bundle(loaded: LoadedWorkshop, learner: str, evidence: dict[str, LabEvidence], key: bytes) -> dict[str, Any]:
    now = time.time()
    labs = []
    for item in loaded.workshop.labs:
        found = evidence.get(item.id)
        labs.append(lab_entry(found, item.minutes, now) if found else {"lab": item.id, "time_box_minutes": item.minutes,
                                                                        "claimed": None, "not_started": True})
    body = {
        "format": FORMAT,
        "learner": {"name": learner},
        "workshop": {"title": loaded.title, "file_sha256": loaded.sha256, "variant_seed_set": bool(loaded.workshop.variant_seed)},
        "ztlab_version": __version__,
        "submitted_at": now,
        "labs": labs,
    }
    return {**body, "signature": {"algorithm": "HMAC-SHA256", "value": sign(body, key)}}


def bundle_filename(learner: str) -> str:
    """A readable, unique file name per learner: the name transliterated to ASCII, then a short hash of
    the exact name, so '李雷' and '王芳' (both empty once transliterated) or 'Zoë' and 'Zoe' never share
    a file on the class's shared drive."""
    ascii_name = unicodedata.normalize("NFKD", learner).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.")[:40].strip("-.") or "learner"
    digest = hashlib.sha256(learner.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}.ztlab-submission.json"


def write_bundle(bundle: dict[str, Any], folder: Path) -> Path:
    """Write the bundle into `folder`, replacing only this learner's own earlier submission.

    Raises BundleError when the file name is taken by another learner's bundle (a hash collision, or
    a file someone placed there): a shared folder must never lose a classmate's work."""
    folder.mkdir(parents=True, exist_ok=True)
    learner = bundle["learner"]["name"]
    path = folder / bundle_filename(learner)
    if path.exists():
        try:
            owner = read_bundle(path)["learner"].get("name")
        except BundleError:
            owner = None
        if owner != learner:
            raise BundleError(f"{path} already holds {'a submission by ' + repr(owner) if owner else 'a file that is not your submission'}; "
                              "nothing was written. Submit into another folder with --output, or ask your instructor.")
    from ztlab.locations import write_private

    write_private(path, json.dumps(bundle, indent=1, ensure_ascii=False) + "\n")  # the learner's evidence: 0600
    return path


def read_bundle(path: Path) -> dict[str, Any]:
    """The bundle's JSON, or a BundleError saying what is wrong with the file."""
    from ztlab.untrusted.json_input import JSONInputError, load_untrusted

    try:
        data = load_untrusted(path)
    except JSONInputError as exc:
        raise BundleError(str(exc)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{path}: not a ztlab submission (expected \"format\": \"{FORMAT}\")")
    if not isinstance(data.get("labs"), list) or not isinstance(data.get("learner"), dict):
        raise BundleError(f"{path}: a submission without `labs` or `learner`; was it edited?")
    return data
