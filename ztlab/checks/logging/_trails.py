"""Trails as CloudTrail applies them: logging on, management events, home region."""

from __future__ import annotations

from typing import Any, Iterable

from ztlab.checks.base import ResourceCheck
from ztlab.snapshot import AccountSnapshot, Trail


def logging_on(trail: Trail) -> bool | None:
    if trail.status is None:
        return None
    return bool(trail.status.get("IsLogging"))


def records_all_management_events(trail: Trail) -> bool | None:
    """Whether the trail records read and write management events; None when selectors were not read."""
    selectors = trail.event_selectors
    if selectors is None:
        return None
    basic = selectors.get("EventSelectors") or []
    advanced = selectors.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        return True  # a trail never given selectors logs all management events
    for s in basic:
        if s.get("IncludeManagementEvents", True) and s.get("ReadWriteType", "All") == "All":
            return True
    for s in advanced:
        fields = {f.get("Field"): f for f in s.get("FieldSelectors") or []}
        category = fields.get("eventCategory") or {}
        if "Management" in (category.get("Equals") or []) and "readOnly" not in fields:
            return True
    return False


def trail_arn(trail: Trail) -> str:
    return trail.trail.get("TrailARN") or trail.trail.get("Name", "")


def trail_ids(trail: Trail) -> list[str]:
    return [trail.trail.get("Name", ""), trail.trail.get("TrailARN", "")]


def log_group_name(trail: Trail) -> str | None:
    arn: Any = trail.trail.get("CloudWatchLogsLogGroupArn")
    if not arn:
        return None
    # arn:aws:logs:region:account:log-group:NAME:*
    parts = str(arn).split(":log-group:", 1)
    return parts[1].split(":", 1)[0] if len(parts) == 2 else None


class TrailCheck(ResourceCheck):
    """A question about each trail; having no trail at all fails (nothing is logged)."""

    empty_message = "The account has no CloudTrail trail."
    empty_status = "FAIL"

    def resources(self, snapshot: AccountSnapshot) -> Iterable[Trail]:
        return snapshot.cloudtrail.trails

    def names(self, snapshot: AccountSnapshot, trail: Trail) -> tuple[str, list[str]]:
        return trail_arn(trail), trail_ids(trail)
