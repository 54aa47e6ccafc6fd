"""Pick a learner's variant of a lab: a stable choice per variant name from the lab's `variants`."""

from __future__ import annotations

import hashlib
from typing import Any

from ztlab.content.models.lab import Lab


def pick_variant(lab: Lab, variant_seed: str | None) -> dict[str, Any]:
    """name -> chosen value. No seed (or no variants): the first choice of each, the lab as written."""
    if lab.variants is None:
        return {}
    picked: dict[str, Any] = {}
    for name, choices in lab.variants.vars.items():
        if variant_seed is None:
            picked[name] = choices[0]
            continue
        digest = hashlib.sha256(f"{variant_seed}\0{lab.id}\0{name}".encode("utf-8")).digest()
        picked[name] = choices[int.from_bytes(digest[:8], "big") % len(choices)]
    return picked
