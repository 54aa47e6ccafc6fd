"""The loaded course, kept on disk keyed by a hash of every content file's bytes.

Parsing and validating the YAML costs every `ztlab` command most of its start-up; the result only
changes when a file does. A hit costs reading and hashing the files (~2 ms for the built-in course)
and unpickling. Only problem-free courses are kept, so every content problem is still reported from
the files themselves. The pickle is trusted only in a folder that this user owns and nobody else
may write (a pickle can run code when loaded): anything else is ignored and the YAML is read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

from ztlab import __version__
from ztlab import locations as loc
from ztlab.content.course import Course
from ztlab.content.files import content_files
from ztlab.content.problems import ContentError, Problem

KEEP = 4  # courses kept (built-in alone, with a pack, ...); older ones are removed
_MEMO: dict[str, Course] = {}  # key -> course, for processes that load more than once (the sandbox, the app)


def course_key(roots: list[Path]) -> str | None:
    """A hash of ztlab's version and every content file (path and bytes) under `roots`, in load
    order; None when a file cannot be read (the loader then reports it)."""
    digest = hashlib.blake2b(f"{__version__}|{sys.version_info[:2]}".encode(), digest_size=20)
    for root in roots:
        digest.update(f"\0root\0{root}".encode())
        if not root.exists():
            continue
        for kind, file in content_files(root):
            try:
                data = file.read_bytes()
            except OSError:
                return None
            digest.update(f"\0{kind}\0{file}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _private_folder(folder: Path) -> bool:
    """Ours, and writable by nobody else (pickles are code)."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and (os.name != "posix" or (info.st_uid == os.getuid() and not info.st_mode & 0o022))


def read(folder: Path, key: str) -> Course | None:
    if not _private_folder(folder):
        return None
    try:
        with open(folder / f"course-{key}.pickle", "rb") as handle:
            course = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None  # missing, half-written by a crashed process, or from another ztlab: read the YAML
    return course if isinstance(course, Course) else None


def write(folder: Path, key: str, course: Course) -> None:
    """Best effort: a read-only or full disk only means the next command parses the YAML again."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private_folder(folder):
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".course-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(course, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"course-{key}.pickle")
        finally:
            Path(tmp).unlink(missing_ok=True)
        kept = sorted(folder.glob("course-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def load_course_cached(
    extra_roots: list[Path] | tuple[Path, ...] = (), *, include_builtin: bool = True
) -> tuple[Course, list[Problem]]:
    """`loader.load_course`, answered from memory or the on-disk cache when no content file changed."""
    builtin = [loc.builtin_course_root()] if include_builtin else []
    key = course_key(builtin + [Path(r) for r in extra_roots])
    folder = loc.locations().cache_dir
    if key is not None:
        course = _MEMO.get(key) or read(folder, key)
        if course is not None:
            _MEMO.clear()
            _MEMO[key] = course
            return course, []
    from ztlab.content.loader import load_course

    course, problems = load_course(extra_roots, include_builtin=include_builtin)
    if key is not None and not problems:
        write(folder, key, course)
    return course, problems


def load_course_or_raise(extra_roots: list[Path] | tuple[Path, ...] = ()) -> Course:
    """For the app and the other commands: a usable course, or a ContentError with every problem."""
    course, problems = load_course_cached(loc.extra_content_roots(list(extra_roots)))
    if problems:
        raise ContentError(problems)
    return course
