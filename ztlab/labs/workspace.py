"""The lab workspace: a folder where the learner writes documents the grader reads (a session policy,
for services or parameters the emulator cannot hold).

`ztlab lab start` uses `locations().workspace_dir / <lab-id>` (kept across restarts: the learner's
files are never deleted); `ztlab lab grade` uses a temporary folder, given to `--apply` scripts as
`ZTLAB_WORKSPACE`. Lab steps and objectives see it as `${workspace}`.
"""

from __future__ import annotations

from pathlib import Path

from ztlab.policy import Policy, PolicyError, parse_policy

ENV_VAR = "ZTLAB_WORKSPACE"


class WorkspaceFileError(Exception):
    """A workspace file the grader needs is missing or broken; `where` is the file's path."""

    def __init__(self, message: str, where: str):
        super().__init__(message)
        self.where = where


def lab_workspace(lab_id: str) -> Path:
    from ztlab.locations import locations

    from ztlab.locations import private_dir

    return private_dir(locations().workspace_dir / lab_id)


def workspace_file(relative: str, workspace: str | Path | None) -> Path:
    if not workspace:
        raise WorkspaceFileError(f"this objective reads '{relative}' from the lab workspace, but the lab was set up "
                                 "without one. `ztlab lab reset` sets it up again with a workspace.", relative)
    return Path(workspace) / relative


def read_session_policy(relative: str, workspace: str | Path | None) -> Policy:
    """The session policy the learner wrote, parsed; a clear WorkspaceFileError when it is missing or broken."""
    path = workspace_file(relative, workspace)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkspaceFileError(f"The session policy {path} does not exist yet. Write the policy document (JSON) "
                                 f"there (scripts find the folder in ${ENV_VAR}); it is what you would pass to "
                                 "`aws sts assume-role --policy file://...`.", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceFileError(f"The session policy {path} cannot be read: {exc}", str(path)) from None
    try:
        return parse_policy(text, name=str(path), kind="session")
    except PolicyError as exc:
        raise WorkspaceFileError(f"The session policy is not a valid policy: {exc}. Fix the file and check again.", str(path)) from None
