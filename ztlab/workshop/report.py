"""The instructor's view of a class: learners by objectives, pass rates, and who looks stuck.

    report = load_report(Path("submissions/"), workshop=loaded, key=key)   # no server needed
    report.learners, report.columns, report.pass_rates(), report.to_json(), report.csv_rows()

It reads what bundles claim (fast, for the live view while the class runs); `ztlab workshop
regrade` is what proves the claims. A bundle whose signature fails is shown and marked.

Who looks stuck, per lab not yet passed (thresholds below, shown in the README):
- time: more than STUCK_TIME_FACTOR x the lab's time box spent on it;
- failed checks: at least STUCK_FAILED_CHECKS checks that did not pass;
- hints: at least STUCK_HINTS hints taken.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ztlab.content import Course
from ztlab.workshop.bundle import BundleError, read_bundle, signature_ok
from ztlab.workshop.file import LoadedWorkshop

STUCK_TIME_FACTOR = 1.5
STUCK_FAILED_CHECKS = 5
STUCK_HINTS = 4

NOT_STARTED = "-"


@dataclass
class LabRow:
    lab: str
    started: bool
    statuses: dict[str, str]  # objective id -> PASS / FAIL / UNKNOWN
    score: int = 0
    max_score: int = 0
    passed: bool = False
    minutes_spent: float = 0.0
    time_box: int = 0
    checks: int = 0
    failed_checks: int = 0
    hints: int = 0
    stuck: list[str] = field(default_factory=list)


@dataclass
class LearnerRow:
    name: str
    bundle: Path
    signature: str  # ok | bad | unchecked
    submitted_at: float | None
    labs: dict[str, LabRow]

    @property
    def stuck(self) -> list[str]:
        return [f"{lab.lab}: {why}" for lab in self.labs.values() for why in lab.stuck]

    @property
    def score(self) -> int:
        return sum(lab.score for lab in self.labs.values())


@dataclass
class ClassReport:
    title: str
    learners: list[LearnerRow]
    columns: list[tuple[str, str]]  # (lab id, objective id), in workshop order
    unreadable: list[str] = field(default_factory=list)

    def status(self, learner: LearnerRow, lab: str, objective: str) -> str:
        row = learner.labs.get(lab)
        return row.statuses.get(objective, NOT_STARTED) if row else NOT_STARTED

    def pass_rates(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(lab, objective) -> (learners passing, learners in the class)."""
        total = len(self.learners)
        return {col: (sum(1 for l in self.learners if self.status(l, *col) == "PASS"), total) for col in self.columns}

    @property
    def stuck_learners(self) -> list[LearnerRow]:
        return [l for l in self.learners if l.stuck]

    def to_json(self) -> dict[str, Any]:
        rates = self.pass_rates()
        return {
            "workshop": self.title,
            "thresholds": {"time_factor": STUCK_TIME_FACTOR, "failed_checks": STUCK_FAILED_CHECKS, "hints": STUCK_HINTS},
            "objectives": [{"lab": lab, "objective": obj, "passed": rates[(lab, obj)][0], "learners": rates[(lab, obj)][1],
                            "pass_rate": round(rates[(lab, obj)][0] / rates[(lab, obj)][1], 3) if rates[(lab, obj)][1] else None}
                           for lab, obj in self.columns],
            "learners": [{
                "name": l.name, "bundle": str(l.bundle), "signature": l.signature, "submitted_at": l.submitted_at,
                "score": l.score, "stuck": l.stuck,
                "labs": [{"lab": r.lab, "started": r.started, "passed": r.passed, "score": r.score, "max_score": r.max_score,
                          "minutes_spent": r.minutes_spent, "time_box_minutes": r.time_box, "checks": r.checks,
                          "failed_checks": r.failed_checks, "hints": r.hints, "objectives": r.statuses, "stuck": r.stuck}
                         for r in l.labs.values()],
            } for l in self.learners],
            "unreadable": self.unreadable,
        }

    CSV_FIELDS = ("learner", "lab", "objective", "status", "lab_score", "lab_max_score", "minutes_spent",
                  "time_box_minutes", "checks", "failed_checks", "hints", "stuck", "signature")

    def csv_text(self) -> str:
        """One row per learner and objective: the shape gradebook imports (LMS) take."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for learner in self.learners:
            for lab, objective in self.columns:
                row = learner.labs.get(lab)
                writer.writerow({
                    "learner": learner.name, "lab": lab, "objective": objective,
                    "status": self.status(learner, lab, objective),
                    "lab_score": row.score if row else 0, "lab_max_score": row.max_score if row else "",
                    "minutes_spent": row.minutes_spent if row else 0, "time_box_minutes": row.time_box if row else "",
                    "checks": row.checks if row else 0, "failed_checks": row.failed_checks if row else 0,
                    "hints": row.hints if row else 0, "stuck": "; ".join(row.stuck) if row else "",
                    "signature": learner.signature,
                })
        return out.getvalue()


def bundle_files(folder: Path) -> list[Path]:
    """The bundles in a folder (a shared drive, a git checkout, an LMS export), or the file itself."""
    folder = Path(folder)
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*.json") if p.is_file())


def _stuck(row: LabRow) -> list[str]:
    if not row.started or row.passed:
        return []
    found = []
    if row.time_box and row.minutes_spent > STUCK_TIME_FACTOR * row.time_box:
        found.append(f"{row.minutes_spent:g} min spent, time box {row.time_box} min")
    if row.failed_checks >= STUCK_FAILED_CHECKS:
        found.append(f"{row.failed_checks} failed checks")
    if row.hints >= STUCK_HINTS:
        found.append(f"{row.hints} hints")
    return found


def _lab_row(entry: dict[str, Any], time_box: int) -> LabRow:
    claimed = entry.get("claimed") if isinstance(entry.get("claimed"), dict) else None
    statuses = {str(k): str(v) for k, v in (claimed or {}).get("objectives", {}).items()} if claimed else {}
    row = LabRow(
        lab=str(entry.get("lab")), started=not entry.get("not_started", False), statuses=statuses,
        score=int((claimed or {}).get("score", 0) or 0), max_score=int((claimed or {}).get("max_score", 0) or 0),
        passed=bool((claimed or {}).get("passed", False)), minutes_spent=float(entry.get("minutes_spent", 0) or 0),
        time_box=int(entry.get("time_box_minutes", time_box) or time_box), checks=int(entry.get("checks", 0) or 0),
        failed_checks=int(entry.get("failed_checks", 0) or 0), hints=int(entry.get("hints", 0) or 0),
    )
    row.stuck = _stuck(row)
    return row


def load_report(folder: Path, *, workshop: LoadedWorkshop | None = None, key: bytes | None = None,
                course: Course | None = None) -> ClassReport:
    """Read every bundle under `folder` into a report. Never raises for a bad bundle: it is listed
    in `unreadable` with the reason. The instructor screen calls this on each refresh."""
    learners: list[LearnerRow] = []
    unreadable: list[str] = []
    columns: list[tuple[str, str]] = []
    time_boxes = {i.id: i.minutes for i in workshop.workshop.labs} if workshop else {}
    if workshop and course:
        columns = [(lab_id, o.id) for lab_id in workshop.workshop.lab_ids if lab_id in course.labs
                   for o in course.labs[lab_id].objectives]
    for path in bundle_files(folder):
        try:
            bundle = read_bundle(path)
            rows = {}
            for entry in bundle["labs"]:
                row = _lab_row(entry, time_boxes.get(str(entry.get("lab")), 0))
                rows[row.lab] = row
                for objective in row.statuses:
                    if (row.lab, objective) not in columns and not (workshop and course):
                        columns.append((row.lab, objective))
        except BundleError as exc:
            unreadable.append(str(exc))
            continue
        except (TypeError, ValueError, AttributeError) as exc:
            unreadable.append(f"{path}: malformed submission ({type(exc).__name__}: {exc})")
            continue
        signature = "unchecked" if key is None else ("ok" if signature_ok(bundle, key) else "bad")
        submitted = bundle.get("submitted_at")
        learners.append(LearnerRow(str(bundle["learner"].get("name", path.stem)), path, signature,
                                   submitted if isinstance(submitted, (int, float)) else None, rows))
    learners.sort(key=lambda l: l.name.casefold())
    title = workshop.title if workshop else "ztlab workshop"
    return ClassReport(title, learners, columns, unreadable)


def render_text(report: ClassReport) -> str:
    """Learners by objectives (columns numbered, with a legend), pass rates, then who looks stuck."""
    marks = {"PASS": "ok", "FAIL": "x", "UNKNOWN": "?", NOT_STARTED: "-"}
    lines = [f"{report.title}: {len(report.learners)} submission(s)", ""]
    if not report.learners:
        lines.append("No submissions yet.")
    else:
        width = max(12, *(len(l.name) for l in report.learners)) + 2
        numbers = "".join(f"{i + 1:>4}" for i in range(len(report.columns)))
        lines.append(f"{'learner':<{width}}{numbers}   score  signature")
        for learner in report.learners:
            cells = "".join(f"{marks.get(report.status(learner, *col), '?'):>4}" for col in report.columns)
            lines.append(f"{learner.name:<{width}}{cells}   {learner.score:>5}  {learner.signature}")
        lines += ["", "Objectives (pass rate):"]
        for i, (col, (passed, total)) in enumerate(report.pass_rates().items(), 1):
            lines.append(f"{i:>4}  {col[0]} / {col[1]}: {passed}/{total} ({100 * passed // total if total else 0}%)")
        lines += ["", "Looks stuck:"]
        stuck = report.stuck_learners
        lines += [f"  {l.name}: {'; '.join(l.stuck)}" for l in stuck] or ["  nobody"]
    if report.unreadable:
        lines += ["", "Not read:"] + [f"  {reason}" for reason in report.unreadable]
    return "\n".join(lines)
