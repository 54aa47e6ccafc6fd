"""An emulated AWS account read once into a typed, JSON-serialisable snapshot that checks judge."""

from ztlab.snapshot.model import (
    AccountSnapshot,
    IamGroup,
    IamRole,
    IamUser,
    KmsKey,
    ManagedPolicy,
    S3Bucket,
    Section,
    SnapshotError,
    Trail,
)
from ztlab.snapshot.reader import read_snapshot

__all__ = [
    "AccountSnapshot",
    "IamGroup",
    "IamRole",
    "IamUser",
    "KmsKey",
    "ManagedPolicy",
    "S3Bucket",
    "Section",
    "SnapshotError",
    "Trail",
    "read_snapshot",
]
