"""Lab problems the content layer cannot see: objectives that name checks which do not exist, and
steps that call something other than a public operation of their boto3 client.

Content sits below the checks in the layering, so `ztlab content check` asks this module too.
"""

from __future__ import annotations

from ztlab.content import Course
from ztlab.content.located_yaml import load_located
from ztlab.content.problems import Problem
from ztlab.labs.operations import call_problem


def lab_problems(course: Course) -> list[Problem]:
    from ztlab.checks import all_checks

    known = {check.metadata.id for check in all_checks()}
    problems: list[Problem] = []
    for lab_id, lab in course.labs.items():
        file = course.lab_dirs[lab_id] / "lab.yaml"
        doc = None
        for where in ("setup", "solution"):
            for index, step in enumerate(getattr(lab, where)):
                problem = call_problem(step.call)
                if problem is None:
                    continue
                if doc is None:
                    doc, _ = load_located(file)
                line, col = doc.position((where, index, "call")) if doc else (0, 0)
                problems.append(Problem(file, line, col, f"step call '{step.call}': {problem}",
                                        "service.operation with a boto3 operation name, e.g. s3.create_bucket"))
        for index, objective in enumerate(lab.objectives):
            if objective.check is None or objective.check.id in known:
                continue
            if doc is None:
                doc, _ = load_located(file)
            line, col = doc.position(("objectives", index, "check", "id")) if doc else (0, 0)
            problems.append(Problem(file, line, col, f"check '{objective.check.id}' does not exist",
                                    "a check id from `ztlab audit checks`"))
    return problems
