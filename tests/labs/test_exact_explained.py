"""`ztlab lab show` tells the learner what "exactly" means for every lab whose objectives are proved
over every request or flow (issue 11): which callers, actions, resources, ports and contexts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ztlab.cli.main import cli
from ztlab.content import load_course

COURSE, _ = load_course()
MARK = 'What "exactly" means here.'


def has_exact_objective(lab) -> bool:
    return any(o.exact is not None or (o.reachability is not None and o.reachability.exactly is not None)
               for o in lab.objectives)


EXACT_LABS = sorted(lab.id for lab in COURSE.labs.values() if has_exact_objective(lab))


def test_most_labs_prove_something_exactly():
    assert len(EXACT_LABS) >= 7, EXACT_LABS


@pytest.mark.parametrize("lab_id", EXACT_LABS)
def test_lab_show_explains_what_exactly_means(lab_id):
    shown = CliRunner().invoke(cli, ["lab", "show", lab_id])
    assert shown.exit_code == 0, shown.output
    assert MARK in shown.output, f"{lab_id}: its briefing needs a '**{MARK}**' paragraph (callers, actions, resources, ports, contexts)"
    paragraph = shown.output.split(MARK, 1)[1].split("\n\n", 1)[0]
    assert len(paragraph.split()) >= 30, f"{lab_id}: say what is proved, not only that it is: {paragraph!r}"
