"""The one exception the progress store raises for a user, and the wrapper that produces it."""

from __future__ import annotations

import functools
import os
import sqlite3

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The progress database cannot be used; the message says which file, why, and what to do."""


class ChangedElsewhere(StoreError):
    """The card was answered, suspended or buried by another ztlab (the CLI beside the app) after
    it was shown here; this answer was not saved, so no card is answered twice."""


INTACT = "Your progress in it is intact."


def not_damage(path, exc: sqlite3.Error) -> StoreError | None:
    """A full disk, a read-only file or folder, or a lock held too long, each with its own remedy.

    None of them is damage, so none may end in "move it aside": that advice would make a learner
    abandon good progress over a problem that freeing space or closing a window solves."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc)
    # SQLite reports a full disk as FULL only when the database or journal grows; growing its
    # shared-memory file on a full disk is an I/O error, so the free space is what tells.
    if code == sqlite3.SQLITE_FULL or "disk is full" in text or (_io_error(code) and out_of_space(path, 1 << 20)):
        return disk_full(path)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN) or "readonly" in text \
            or "read-only" in text:
        return StoreError(f"{path}: cannot write the progress database (a read-only file or folder?): {exc}. "
                          f"Make {path.parent} writable for you. {INTACT}")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return StoreError(f"{path}: another process kept the progress database locked for over "
                          f"{BUSY_TIMEOUT_MS // 1000} s (a second ztlab?). Close it and retry. {INTACT}")
    return None


def _io_error(code: int | None) -> bool:
    return code is not None and code & 0xFF == sqlite3.SQLITE_IOERR


def out_of_space(path, below: int) -> bool:
    """Whether the folder holding `path` has fewer than `below` bytes free (False if unknowable)."""
    try:
        info = os.statvfs(os.path.dirname(os.fspath(path)) or ".")
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < below


def disk_full(path) -> StoreError:
    return StoreError(f"{path}: the disk is full; ztlab cannot save answers. Free some space and retry. {INTACT}")


def guarded(method):
    """Turn SQLite failures into a StoreError naming the file (never a traceback for the user)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise (not_damage(self.path, exc) or StoreError(f"{self.path}: {exc}")) from exc
        except sqlite3.IntegrityError as exc:  # a rule of the schema refused the change: not damage
            raise StoreError(f"{self.path}: change refused ({exc}); nothing was written.") from exc
        except sqlite3.DatabaseError as exc:
            self._damaged = True  # write nothing more to it, not even the tidy-up on close
            raise StoreError(
                f"{self.path}: the progress database is damaged ({exc}). Nothing was changed. "
                f"Restore it from a backup (`ztlab cards import FILE`) or move it aside to start afresh."
            ) from exc

    return wrapper
