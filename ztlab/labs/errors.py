"""The errors a lab run expects, written once for every shell (CLI, TUI, workshop regrade).

An expected error is one a learner or instructor can act on: its message says what went wrong and
what to do, and the shell shows that message instead of a traceback. Anything else is a bug.
"""

from __future__ import annotations


class LabProblem(Exception):
    """Base of the lab's own expected errors; the message is meant for the user."""


class LabError(LabProblem):
    """A lab cannot go on (unknown lab, not started, wrong state); the message says what to do."""


class UntrustedCode(LabProblem):
    """A downloaded lab pack wants to run its Python without `--trust-code`."""


class StepError(LabProblem):
    """A lab step failed; says which step of which list, the call, and the AWS error."""


# The user asked for something that cannot be done as asked (exit 2, not a failed check).
USAGE_ERRORS: tuple[type[Exception], ...] = (LabError, UntrustedCode)


def expected_errors() -> tuple[type[BaseException], ...]:
    """Every error a lab action may raise that is the world's fault, not ours: the lab's own, the
    sandbox's (and a command served by it), the progress store's, and the file system's."""
    # Imported here: the shells ask at the moment an action fails, and ztlab.srs pulls in fsrs.
    from ztlab.labs.remote import ServedContentProblems, ServedError
    from ztlab.sandbox import SandboxError
    from ztlab.srs import StoreError

    return LabProblem, SandboxError, StoreError, OSError, ServedError, ServedContentProblems
