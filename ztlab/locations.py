"""Every path ztlab reads or writes, in one place.

`ZTLAB_HOME` puts everything (config, progress, sandbox state, logs) under one folder; tests always
set it so a developer's own progress never leaks into a test run. Without it, platformdirs gives the
usual per-OS folders. Extra content packs come from `--content DIR` or `ZTLAB_CONTENT` (os.pathsep
separated).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "ztlab"
CONTENT_KINDS = ("lessons", "flashcards", "labs")


@dataclass(frozen=True)
class Locations:
    config_dir: Path
    data_dir: Path
    state_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.yaml"

    @property
    def progress_db(self) -> Path:
        return self.data_dir / "progress.sqlite3"

    @property
    def sandbox_dir(self) -> Path:
        return self.state_dir / "sandbox"

    @property
    def sandbox_state_file(self) -> Path:
        return self.sandbox_dir / "sandbox.json"

    @property
    def lab_run_file(self) -> Path:
        """The lab in progress: which lab, the names its setup saved, hints used."""
        return self.state_dir / "lab-run.json"

    @property
    def evidence_dir(self) -> Path:
        """Per-lab evidence for workshop submissions: results of each check, hints, the recorded calls."""
        return self.data_dir / "evidence"

    @property
    def learner_file(self) -> Path:
        """The learner's name for workshop submissions and variants (`ztlab workshop join NAME`)."""
        return self.config_dir / "learner.json"

    @property
    def localstack_venv(self) -> Path:
        """The separate virtualenv for the LocalStack runtime; `ZTLAB_LOCALSTACK_VENV` overrides it."""
        override = os.environ.get("ZTLAB_LOCALSTACK_VENV")
        return Path(override).expanduser() if override else self.data_dir / "localstack-venv"

    @property
    def workspace_dir(self) -> Path:
        """Where lab workspaces (policy documents the learner writes) live."""
        return self.data_dir / "workspace"

    @property
    def cache_dir(self) -> Path:
        """What ztlab can rebuild at will (the parsed course, keyed by its files' hashes); safe to delete."""
        return self.state_dir / "cache"


def locations() -> Locations:
    """The current locations; read from the environment on every call so tests can switch homes."""
    home = os.environ.get("ZTLAB_HOME")
    if home:
        root = Path(home).expanduser()
        return Locations(root / "config", root / "data", root / "state", root / "logs")
    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Locations(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_state_dir),
        Path(dirs.user_log_dir),
    )


def builtin_course_root() -> Path:
    """The shipped course: the repository root in a checkout, `ztlab/_course` inside a wheel."""
    package_dir = Path(__file__).resolve().parent
    bundled = package_dir / "_course"
    if bundled.is_dir():
        return bundled
    return package_dir.parent


def extra_content_roots(cli_roots: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """Content packs added by the author: `ZTLAB_CONTENT` first, then `--content` (later wins)."""
    roots = [Path(p).expanduser() for p in os.environ.get("ZTLAB_CONTENT", "").split(os.pathsep) if p]
    roots.extend(Path(p).expanduser() for p in cli_roots)
    return roots


# ------------------------------------------------------------------------------------ private files
# Progress, the learner's name, evidence, recordings, sandbox state (with its token) and workshop
# keys belong to one user. Modes are set explicitly rather than left to the umask: a umask of 022
# (the common default) would make every one of them readable by all local users.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as a folder only its owner can enter; tighten it if it exists."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists as a file only its owner can read (created empty if missing)."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE_MODE)
    return path


def write_private(path: Path, data: str | bytes) -> Path:
    """Write a whole file atomically (temp file + rename in the same folder), mode 0600 from the
    first byte: a reader sees the old file or the new one, and nobody else ever sees either.
    A missing folder is created private; an existing one is left as it is (it may be the user's
    own, e.g. a workshop file's folder): ztlab's own folders are made private by `private_dir`."""
    import tempfile

    path = Path(path)
    if not path.parent.is_dir():
        private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
