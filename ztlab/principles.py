"""The six zero-trust principles: fixed slugs used in content, checks and every output format."""

from __future__ import annotations

from typing import Literal

Principle = Literal[
    "verify-explicitly",
    "least-privilege",
    "micro-segmentation",
    "encrypt-everything",
    "continuous-monitoring",
    "assume-breach",
]

PRINCIPLE_TITLES: dict[str, str] = {
    "verify-explicitly": "Verify explicitly",
    "least-privilege": "Least privilege",
    "micro-segmentation": "Micro-segmentation",
    "encrypt-everything": "Encrypt everything",
    "continuous-monitoring": "Continuous monitoring",
    "assume-breach": "Assume breach",
}

PRINCIPLES: tuple[str, ...] = tuple(PRINCIPLE_TITLES)
