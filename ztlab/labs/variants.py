"""Pick a learner's variant of a lab: a stable choice per variant name from the lab's `variants`."""

from __future__ import annotations

import hashlib
import re
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


# Plain `${name}` only: IAM policy variables (`${aws:username}`) hold a colon and stay as written.
_NAME = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(text: str, names: dict[str, Any]) -> str:
    """Text a learner reads (briefing, hint) with this learner's names filled in; unknown names stay."""
    return _NAME.sub(lambda m: str(names[m.group(1)]) if m.group(1) in names else m.group(0), text)


def personalise(lab: Lab, variant_seed: str | None) -> Lab:
    """The lab as this learner reads it: briefing, objective titles and hints in their variant's names.
    For display only; grading fills the same names in from the running lab's own."""
    picked = pick_variant(lab, variant_seed)
    if not picked:
        return lab
    objectives = [o.model_copy(update={"title": fill(o.title, picked), "hints": [fill(h, picked) for h in o.hints]})
                  for o in lab.objectives]
    return lab.model_copy(update={"briefing": fill(lab.briefing, picked), "objectives": objectives})
