"""Workshops: an instructor's run of a class, signed submissions, replay regrades, the class report.

    from ztlab.workshop import load_workshop, load_report, regrade
    loaded = load_workshop(Path("class.yaml"), course)       # WorkshopError lists located problems
    report = load_report(Path("submissions/"), workshop=loaded, key=workshop_key(loaded), course=course)
    verdicts = regrade(paths, course, loaded, key)            # replays into a private moto server

No Textual here: the CLI (`ztlab workshop ...`) and the app's instructor screen are shells over it.
"""

from ztlab.workshop.bundle import BundleError, build_bundle, read_bundle, signature_ok, write_bundle
from ztlab.workshop.file import ENV_VAR, LoadedWorkshop, WorkshopError, load_workshop, starter_text, workshop_key
from ztlab.workshop.learner import learner_name, save_learner_name, variant_seed
from ztlab.workshop.model import Workshop, WorkshopItem
from ztlab.workshop.regrade import BundleVerdict, regrade
from ztlab.workshop.report import ClassReport, LearnerRow, load_report, render_text

__all__ = [
    "ENV_VAR", "BundleError", "BundleVerdict", "ClassReport", "LearnerRow", "LoadedWorkshop", "Workshop",
    "WorkshopError", "WorkshopItem", "build_bundle", "learner_name", "load_report", "load_workshop", "read_bundle",
    "regrade", "render_text", "save_learner_name", "signature_ok", "starter_text", "variant_seed", "workshop_key",
    "write_bundle",
]
