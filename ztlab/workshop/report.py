"""The instructor's view of a class: learners by objectives, pass rates, and who looks stuck.

    report = load_report(Path("submissions/"), workshop=loaded, key=key)   # no server needed
    report.learners, report.columns, report.pass_rates(), report.to_json(), report.csv_rows()

It reads what bundles claim (fast, for the live view while the class runs); `ztlab workshop
regrade` is what proves the claims. Once a bundle has been regraded on this machine (and not changed
since), its row shows the replay's verdicts and points instead, marked "regraded"; until then the
row is marked "claimed", and its points are recomputed from the claimed verdicts and the lab's own
point table, never read from the bundle. A bundle whose signature fails is shown and marked; what
`integrity` finds (duplicate entries or learners, copied sessions, control-route calls, edited
points) is listed under the learner as warnings.

Minutes, checks, hints and use of the reference solution are self-reported: the learner's ztlab
counts them and nothing can prove them afterwards, so every output labels them so.

Who looks stuck, per lab not yet passed (thresholds below, shown in the README):
- time: more than STUCK_TIME_FACTOR x the lab's time box spent on it;
- failed checks: at least STUCK_FAILED_CHECKS checks that did not pass;
- hints: at least STUCK_HINTS hints taken.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ztlab.untrusted.text import safe_name
from ztlab.content import Course
from ztlab.workshop import verified
from ztlab.workshop.bundle import BundleError, read_bundle, signature_ok
from ztlab.workshop.file import LoadedWorkshop
from ztlab.workshop.integrity import bundle_problems, class_problems, points_for

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
    reference_solution_used: bool = False
    stuck: list[str] = field(default_factory=list)
    verified: bool = False  # statuses and points come from a regrade, not from the bundle's claims


@dataclass
class LearnerRow:
    name: str
    bundle: Path
    signature: str  # ok | bad | unchecked
    submitted_at: float | None
    labs: dict[str, LabRow]
    warnings: list[str] = field(default_factory=list)
    regrade: str = "none"  # none | ok | flagged: the saved regrade of exactly this file

    @property
    def stuck(self) -> list[str]:
        return [f"{lab.lab}: {why}" for lab in self.labs.values() for why in lab.stuck]

    @property
    def score(self) -> int:
        return sum(lab.score for lab in self.labs.values())

    @property
    def proof(self) -> str:
        """What the points rest on: the bundle's claims, or a regrade of this exact file."""
        return {"none": "claimed", "ok": "regraded"}.get(self.regrade, "FLAGGED")


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
                "score": l.score, "stuck": l.stuck, "regrade": l.regrade, "warnings": l.warnings,
                "labs": [{"lab": r.lab, "started": r.started, "passed": r.passed, "score": r.score, "max_score": r.max_score,
                          "verified": r.verified, "time_box_minutes": r.time_box, "objectives": r.statuses, "stuck": r.stuck,
                          "self_reported": {"minutes_spent": r.minutes_spent, "checks": r.checks,
                                            "failed_checks": r.failed_checks, "hints": r.hints,
                                            "reference_solution_used": r.reference_solution_used}}
                         for r in l.labs.values()],
            } for l in self.learners],
            "unreadable": self.unreadable,
        }

    CSV_FIELDS = ("learner", "lab", "objective", "status", "verified", "lab_score", "lab_max_score",
                  "time_box_minutes", "self_reported_minutes_spent", "self_reported_checks",
                  "self_reported_failed_checks", "self_reported_hints", "stuck", "signature", "warnings")

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
                    "verified": "regraded" if row and row.verified else "claimed",
                    "lab_score": row.score if row else 0, "lab_max_score": row.max_score if row else "",
                    "time_box_minutes": row.time_box if row else "",
                    "self_reported_minutes_spent": row.minutes_spent if row else 0,
                    "self_reported_checks": row.checks if row else 0,
                    "self_reported_failed_checks": row.failed_checks if row else 0,
                    "self_reported_hints": row.hints if row else 0, "stuck": "; ".join(row.stuck) if row else "",
                    "signature": learner.signature, "warnings": "; ".join(learner.warnings),
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


def _number(value: Any, default: float = 0.0) -> float:
    """A finite number from a bundle, whatever it holds (a learner's file: 1e400, "12", null, [])."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default


def _lab_row(entry: dict[str, Any], time_box: int, course: Course | None, regraded: dict[str, Any] | None) -> LabRow:
    claimed = entry.get("claimed") if isinstance(entry.get("claimed"), dict) else None
    objectives = (claimed or {}).get("objectives")
    statuses = {str(k): str(v) for k, v in objectives.items()} if isinstance(objectives, dict) else {}
    lab = course.labs.get(str(entry.get("lab"))) if course else None
    verified = regraded is not None and isinstance(regraded.get("replayed"), dict)
    if verified:
        statuses = {str(k): str(v) for k, v in regraded["replayed"].items()}
    if lab is not None:
        score, max_score = points_for(lab, statuses)
    else:  # no course to count with: what the bundle says, clearly marked as claimed
        score, max_score = int(_number((claimed or {}).get("score"))), int(_number((claimed or {}).get("max_score")))
    passed = bool(statuses) and all(s == "PASS" for s in statuses.values()) and score == max_score
    row = LabRow(
        lab=str(entry.get("lab")), started=not entry.get("not_started", False), statuses=statuses,
        score=score, max_score=max_score, passed=passed, minutes_spent=_number(entry.get("minutes_spent")),
        time_box=int(_number(entry.get("time_box_minutes"), time_box)), checks=int(_number(entry.get("checks"))),
        failed_checks=int(_number(entry.get("failed_checks"))), hints=int(_number(entry.get("hints"))),
        reference_solution_used=bool(entry.get("reference_solution_used")), verified=verified,
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
    readable: list[tuple[Path, dict[str, Any]]] = []
    time_boxes = {i.id: i.minutes for i in workshop.workshop.labs} if workshop else {}
    if workshop and course:
        columns = [(lab_id, o.id) for lab_id in workshop.workshop.lab_ids if lab_id in course.labs
                   for o in course.labs[lab_id].objectives]
    for path in bundle_files(folder):
        try:
            bundle = read_bundle(path)
            saved = verified.load(path)
            replayed = {lab["lab"]: lab for lab in (saved or {}).get("labs", []) if isinstance(lab, dict)}
            rows = {}
            for entry in bundle["labs"]:
                row = _lab_row(entry, time_boxes.get(str(entry.get("lab")), 0), course, replayed.get(str(entry.get("lab"))))
                rows.setdefault(row.lab, row)  # a duplicated entry is a warning, never a second chance
                for objective in row.statuses:
                    if (row.lab, objective) not in columns and not (workshop and course):
                        columns.append((row.lab, objective))
            warnings = bundle_problems(bundle, course, workshop.workshop.lab_ids if workshop else None)
        except BundleError as exc:
            unreadable.append(str(exc))
            continue
        except (TypeError, ValueError, AttributeError, RecursionError) as exc:
            unreadable.append(f"{path}: malformed submission ({type(exc).__name__}: {exc})")
            continue
        signature = "unchecked" if key is None else ("ok" if signature_ok(bundle, key) else "bad")
        submitted = bundle.get("submitted_at")
        regrade = "none" if saved is None else ("flagged" if saved.get("flagged") else "ok")
        readable.append((path, bundle))
        # The name is the learner's own text: a newline or an escape sequence in it must not forge a row.
        learners.append(LearnerRow(safe_name(bundle["learner"].get("name", path.stem)), path, signature,
                                   submitted if isinstance(submitted, (int, float)) else None, rows, warnings, regrade))
    across = class_problems(readable)
    for learner in learners:
        learner.warnings += across.get(learner.bundle, [])
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
        lines.append(f"{'learner':<{width}}{numbers}   score  points are   signature")
        for learner in report.learners:
            cells = "".join(f"{marks.get(report.status(learner, *col), '?'):>4}" for col in report.columns)
            lines.append(f"{learner.name:<{width}}{cells}   {learner.score:>5}  {learner.proof:<11} {learner.signature}")
        lines += ["", "Objectives (pass rate):"]
        for i, (col, (passed, total)) in enumerate(report.pass_rates().items(), 1):
            lines.append(f"{i:>4}  {col[0]} / {col[1]}: {passed}/{total} ({100 * passed // total if total else 0}%)")
        lines += ["", "Looks stuck: (judged from self-reported minutes, checks and hints)"]
        stuck = report.stuck_learners
        lines += [f"  {l.name}: {'; '.join(l.stuck)}" for l in stuck] or ["  nobody"]
        warned = [l for l in report.learners if l.warnings]
        if warned:
            lines += ["", "Warnings (see `ztlab workshop regrade`):"]
            lines += [f"  {l.name}: {warning}" for l in warned for warning in l.warnings]
        lines += ["", "Points are 'claimed' until `ztlab workshop regrade` has replayed that exact file on this machine."]
    if report.unreadable:
        lines += ["", "Not read:"] + [f"  {reason}" for reason in report.unreadable]
    return "\n".join(lines)
