"""Every built-in lab gives each workshop learner their own names, and works under any of them.

A recording (or a list of commands) made for one learner's names then fails in another learner's
account, so copied work shows up in the regrade. Each lab is set up under a variant where every name
differs from the lab as written: setup fails every objective, the reference solution (which follows
the names) passes every one, and nothing a learner reads still shows a `${name}`.
"""

from __future__ import annotations

import pytest

from ztlab.content import load_course
from ztlab.labs.runtime import apply_solution, check_lab, setup_lab
from ztlab.labs.variants import personalise, pick_variant

COURSE, _ = load_course()
LAB_IDS = sorted(COURSE.labs)
LEARNERS = [f"spring-class/{name}" for name in ("ada", "bea", "cy", "dev", "eli", "fay", "gus", "hal")]


def all_renamed_seed(lab) -> str:
    """A variant seed under which every variable differs from the lab as written."""
    defaults = pick_variant(lab, None)
    for number in range(500):
        seed = f"probe-{number}"
        if all(value != defaults[name] for name, value in pick_variant(lab, seed).items()):
            return seed
    raise AssertionError(f"{lab.id}: no variant renames everything; give each variable more choices")


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_every_lab_has_variants_that_tell_learners_apart(lab_id: str) -> None:
    lab = COURSE.labs[lab_id]
    assert lab.variants is not None, f"{lab_id}: add a `variants:` block (bucket, role or user names)"
    for name, choices in lab.variants.vars.items():
        assert len(set(map(str, choices))) >= 4, f"{lab_id}: give ${{{name}}} at least four distinct choices"
    picks = {tuple(sorted(pick_variant(lab, seed).items())) for seed in LEARNERS}
    assert len(picks) >= 3, f"{lab_id}: eight learners share too few variants"


@pytest.fixture(scope="module")
def sandbox():
    from ztlab.sandbox.ephemeral import ephemeral_moto

    with ephemeral_moto() as box:
        yield box


@pytest.mark.server
@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_a_fully_renamed_variant_fails_after_setup_and_passes_with_the_reference(sandbox, lab_id: str, tmp_path) -> None:
    lab = COURSE.labs[lab_id]
    seed = all_renamed_seed(lab)
    picked = pick_variant(lab, seed)
    shown = personalise(lab, seed)
    text = shown.briefing + "".join(o.title + "".join(o.hints) for o in shown.objectives)
    leftover = [f"${{{name}}}" for name in picked if f"${{{name}}}" in text]
    assert not leftover, f"{lab_id}: a learner would read {leftover}"

    sandbox.reset()
    names = setup_lab(COURSE, lab, sandbox, workspace=tmp_path, variant_seed=seed)
    assert {k: names[k] for k in picked} == picked
    result = check_lab(lab, sandbox, names)
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in result.objectives)
    assert all(o.status == "FAIL" for o in result.objectives), f"setup under {picked} must fail everything:\n{report}"

    apply_solution(COURSE, lab, sandbox, names)
    result = check_lab(lab, sandbox, names)
    report = "\n".join(f"{o.status} {o.id}: {o.message}" for o in result.objectives)
    assert result.passed, f"the reference under {picked} must pass:\n{report}"
    for objective in result.objectives:
        assert "${" not in objective.title, objective.title
