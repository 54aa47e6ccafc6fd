"""The one exception the progress store raises for a user, and the wrapper that produces it."""

from __future__ import annotations

import functools
import sqlite3

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The progress database cannot be used; the message says which file, why, and what to do."""


class ChangedElsewhere(StoreError):
    """The card was answered, suspended or buried by another ztlab (the CLI beside the app) after
    it was shown here; this answer was not saved, so no card is answered twice."""


def guarded(method):
    """Turn SQLite failures into a StoreError naming the file (never a traceback for the user)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"{self.path}: busy for over {BUSY_TIMEOUT_MS // 1000} s (another ztlab is writing); try again.") from exc
            raise StoreError(f"{self.path}: {exc}") from exc
        except sqlite3.IntegrityError as exc:  # a rule of the schema refused the change: not damage
            raise StoreError(f"{self.path}: change refused ({exc}); nothing was written.") from exc
        except sqlite3.DatabaseError as exc:
            self._damaged = True  # write nothing more to it, not even the tidy-up on close
            raise StoreError(
                f"{self.path}: the progress database is damaged ({exc}). Nothing was changed. "
                f"Restore it from a backup (`ztlab cards import FILE`) or move it aside to start afresh."
            ) from exc

    return wrapper
