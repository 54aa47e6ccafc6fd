"""Lab results as text (for people), JSON (for scripts) and JUnit (for CI and classrooms)."""

from __future__ import annotations

import json

from ztlab.labs.results import LabResult, ObjectiveResult
from ztlab.reporters.junit import Case, junit_xml
from ztlab.reporters.style import style

_MARK = {"PASS": ("PASS", "green"), "FAIL": ("FAIL", "red"), "UNKNOWN": ("????", "yellow")}


def objective_text(result: ObjectiveResult, color: bool) -> str:
    # Working, with its points waiting for a security fix: not something to repair.
    label, colour = ("WAIT", "yellow") if getattr(result, "pending", False) else _MARK[result.status]
    head = f"[{style(label, fg=colour, bold=True) if color else label}] {result.title}"
    head += f"  ({result.awarded}/{result.points} pts)"
    if result.still_works:
        head += "  [still works]"
    lines = [head]
    if result.status != "PASS":
        first, *more = result.message.splitlines() or [""]
        lines.append(f"       what:  {first}")
        lines += [f"              {line}" for line in more]
        if result.where:
            lines.append(f"       where: {', '.join(result.where)}")
        lines.append(f"       why:   {result.why}")
        if result.next_hint:
            lines.append(f"       hint:  {result.next_hint}")
    return "\n".join(lines)


def lab_text(result: LabResult, color: bool = True) -> str:
    lines = [f"{result.title} ({result.lab_id})", ""]
    lines += [objective_text(o, color) for o in result.objectives]
    passed = sum(o.passed for o in result.objectives)
    verdict = "all objectives pass" if result.passed else f"{passed}/{len(result.objectives)} objectives pass"
    lines += ["", f"Score {result.score}/{result.max_score}: {verdict}."]
    return "\n".join(lines)


def lab_json(result: LabResult) -> str:
    return json.dumps(result.to_json(), indent=2)


def lab_junit(result: LabResult) -> str:
    cases = [
        Case(name=f"{o.id}: {o.title}", classname=f"ztlab.lab.{result.lab_id}", status=o.status, message=o.message,
             details="\n".join(filter(None, [o.message, "where: " + ", ".join(o.where) if o.where else "", o.why,
                                             "hint: " + o.next_hint if o.next_hint else ""])))
        for o in result.objectives
    ]
    return junit_xml("ztlab", [(f"lab {result.lab_id}", cases)])


FORMATS = {"text": lab_text, "json": lab_json, "junit": lab_junit}
