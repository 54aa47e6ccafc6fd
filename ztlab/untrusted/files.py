"""Read an untrusted file: only regular files, never more than a cap of bytes.

`read_text()` on /dev/zero or a FIFO never returns, and a 50 MB file takes a parser minutes; both
are refused here, before any parser sees a byte. The file is opened once and checked through its
descriptor, so a name swapped for a FIFO between a check and the read cannot slip through.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024


class FileRefused(Exception):
    """The file cannot be used as input; `reason` is one line saying why and what would work."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def describe_size(limit: int) -> str:
    return f"{limit // MiB} MB" if limit % MiB == 0 else f"{limit} bytes"


def read_bytes_capped(path: Path | str, limit: int) -> bytes:
    """The whole file, or FileRefused when it is not a regular file or is larger than `limit`."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise block forever before fstat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileRefused(path, "does not exist") from None
    except IsADirectoryError:
        raise FileRefused(path, "is a folder, not a file") from None
    except OSError as exc:
        raise FileRefused(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(path, "is not a regular file (a device, pipe or socket); give a plain file")
        if info.st_size > limit:
            raise FileRefused(path, f"is {info.st_size:,} bytes, over the {describe_size(limit)} limit for this input")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, total = [], 0
        # Read to the cap even if the size changed since fstat (a file still being written).
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 4 * MiB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefused(path, f"is over the {describe_size(limit)} limit for this input")
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(path, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_text_capped(path: Path | str, limit: int) -> str:
    """UTF-8 text (a leading BOM dropped), or FileRefused saying where the bytes stop being text."""
    data = read_bytes_capped(path, limit)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(Path(path), "is UTF-16 text; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(Path(path), f"is not UTF-8 text ({exc.reason} at byte {exc.start}, line {line}); "
                                      "give a UTF-8 text file") from None
    return text.removeprefix("\ufeff")
