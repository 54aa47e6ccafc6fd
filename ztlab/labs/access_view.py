"""Who can act on a lab's key resources now: the access explorer of the lab screen.

The resources and actions come from the lab itself, never from a list kept here: every request
its access objectives ask (that object, with that action), the resources its exact-access and
check objectives name, the roles its objectives ask about, and the buckets, roles, users, keys and
secrets its variant names denote in the account. Each is asked of `ztlab.explore.who_can` over the
snapshot the latest check read (kept beside the lab run), so the answer is the account as graded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ztlab.content.models.lab import Lab
from ztlab.explore.who_can import DEFAULT_ACTIONS, ExploreError, Grant, resource_kind, who_can
from ztlab.locations import locations, write_private
from ztlab.snapshot import AccountSnapshot


def checked_snapshot_file() -> Path:
    """The account as the latest lab check read it (any process that checks writes it)."""
    return locations().state_dir / "lab-checked-snapshot.json"


def keep_checked_snapshot(snapshot: AccountSnapshot) -> None:
    write_private(checked_snapshot_file(), snapshot.model_dump_json())


def forget_checked_snapshot() -> None:
    """A new lab (or the same one set up again) has another account: the old answer is void."""
    checked_snapshot_file().unlink(missing_ok=True)


def load_checked_snapshot() -> AccountSnapshot | None:
    """None before the first check of this lab run; LabError when the file is damaged."""
    from ztlab.labs.errors import LabError
    from ztlab.snapshot import SnapshotError

    path = checked_snapshot_file()
    if not path.exists():
        return None
    try:
        return AccountSnapshot.load(path)
    except SnapshotError as exc:
        raise LabError(f"{exc}. Check the lab again (c, or `ztlab lab check`) to read the account afresh.") from None


@dataclass
class ResourceAccess:
    """Who may perform the lab's actions on one resource, with the deciding statements."""

    resource: str
    actions: list[str]
    grants: list[Grant] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def by_action(self) -> dict[str, list[Grant]]:
        out: dict[str, list[Grant]] = {a: [] for a in self.actions}
        for grant in self.grants:
            out.setdefault(grant.action, []).append(grant)
        return out


def key_resources(lab: Lab, snapshot: AccountSnapshot, names: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(resource ARN, actions) in the order the lab brings them up: its access requests first
    (with exactly their actions), then what else its objectives and variant names point at (with
    the read / write / take-over actions of the resource's kind)."""
    from ztlab.labs.objectives.access import resolved
    from ztlab.labs.references import UnknownReference

    found: dict[str, list[str]] = {}

    def add(resource: str, actions: list[str]) -> None:
        if not isinstance(resource, str) or not resource.startswith("arn:"):
            return
        owner = resource.split(":")[4] if resource.count(":") >= 5 else ""
        if owner and owner != snapshot.account_id:
            return  # another account's: its own policies are not in this snapshot
        if not actions and resource in found:
            return  # the lab's own requests say which actions matter here
        wanted = actions or list(DEFAULT_ACTIONS.get(resource_kind(resource), ()))
        if wanted:
            listed = found.setdefault(resource, [])
            listed.extend(a for a in wanted if a not in listed)

    later: list[str] = []
    for objective in lab.objectives:
        for spec in (objective.access, objective.exact, objective.check):
            if spec is None:
                continue
            try:
                spec, failure = resolved(spec, snapshot, names)
            except UnknownReference:
                continue  # names this run never saved: nothing to point at
            if failure or getattr(spec, "scp_account", None):
                continue  # not created yet, or a member account this snapshot does not hold
            for item in [*getattr(spec, "allowed", []), *getattr(spec, "denied", [])]:
                add(item.resource, [item.action])
            later += [getattr(spec, "principal", "") or "", *getattr(spec, "resources", [])]
    for resource in later:
        add(_named(snapshot, resource) or resource, [])
    for value in names.values():
        if isinstance(value, str):
            add(_named(snapshot, value) or "", [])
    return list(found.items())


def _named(snapshot: AccountSnapshot, name: str) -> str | None:
    """The ARN of the bucket, role, user, key (id or alias) or secret called `name`, if any."""
    if name.startswith("arn:"):
        return None
    bucket = snapshot.s3.bucket(name)
    if bucket is not None:
        return bucket.arn
    for entity in [*snapshot.iam.roles, *snapshot.iam.users]:
        if entity.name == name:
            return entity.arn
    key = snapshot.kms.find(name) or snapshot.kms.find(f"alias/{name}")
    if key is not None:
        return key.arn
    return next((s["ARN"] for s in snapshot.secretsmanager.secrets if s.get("Name") == name and s.get("ARN")), None)


def explore(lab: Lab, snapshot: AccountSnapshot, names: dict[str, Any]) -> list[ResourceAccess]:
    out: list[ResourceAccess] = []
    for resource, actions in key_resources(lab, snapshot, names):
        try:
            grants, problems = who_can(snapshot, resource, actions)
        except ExploreError as exc:
            grants, problems = [], [str(exc)]
        out.append(ResourceAccess(resource, actions, grants, problems))
    return out


def short_principal(grant: Grant, account: str) -> str:
    """How a narrow panel names a caller: `role/app`, `user/alice`, `root`, `account 4815…:root`."""
    text = grant.principal
    own = f"arn:aws:iam::{account}:"
    if text.startswith(f"arn:aws:sts::{account}:assumed-role/"):
        return "role/" + text.split("/")[1]
    if text == f"{own}root":
        return "root"
    if text.startswith(own):
        return text[len(own):]
    if text.startswith("arn:"):
        parts = text.split(":", 5)
        return f"account {parts[4]}:{parts[5]}"
    return text


__all__ = ["ResourceAccess", "checked_snapshot_file", "explore", "forget_checked_snapshot", "keep_checked_snapshot",
           "key_resources", "load_checked_snapshot", "short_principal"]
