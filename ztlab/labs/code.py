"""Python that ships with a lab (`setup.py`, `solution.py`), and the trust rule that guards it.

Lab packs are downloaded content. Declarative steps only call the sandbox's API; Python can do
anything the user can, so a pack from outside the built-in course runs its Python only when the
user passes `--trust-code`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ztlab.content import Course
from ztlab.labs.errors import UntrustedCode


@dataclass
class LabContext:
    """What lab Python gets: clients for the sandbox and the names saved by setup steps."""

    clients: Any
    names: dict[str, Any] = field(default_factory=dict)
    account_id: str = ""
    region: str = ""

    def client(self, service: str) -> Any:
        return self.clients.client(service)


def lab_function(course: Course, lab_id: str, module: str, function: str, *, trust_code: bool) -> Callable | None:
    """The function `function` of `labs/<id>/<module>.py`, or None when the lab has no such file."""
    path: Path = course.lab_dirs[lab_id] / f"{module}.py"
    if not path.is_file():
        return None
    # A built-in lab's Python must be a file of that lab folder, not a link to somewhere else.
    builtin = course.is_builtin("lab", lab_id) and path.resolve().is_relative_to(course.lab_dirs[lab_id].resolve())
    if not builtin and not trust_code:
        raise UntrustedCode(
            f"lab '{lab_id}' comes from {course.lab_dirs[lab_id]} (not the built-in course) and carries Python "
            f"({path.name}), which could do anything you can. Read it, then run again with --trust-code to allow it."
        )
    spec = importlib.util.spec_from_file_location(f"ztlab_lab_{lab_id.replace('-', '_')}_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(loaded)
    fn = getattr(loaded, function, None)
    if fn is None:
        raise AttributeError(f"{path} has no function {function}(ctx)")
    return fn
