"""Time in the progress store: UTC epoch seconds on disk, UTC-aware datetimes in code.

A learner's "day" ends at local midnight (or at a later rollover hour, as in Anki), so limits,
burying and streaks follow the learner's clock while everything stored stays in UTC.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime:
    """`moment` as a UTC-aware datetime (naive values are taken as local time); now when None."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc)


def to_epoch(moment: datetime | None) -> float | None:
    return None if moment is None else as_utc(moment).timestamp()


def from_epoch(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)


def day_start(moment: datetime, rollover_hour: int = 0) -> datetime:
    """UTC start of the learner's day holding `moment`: local midnight shifted by `rollover_hour`."""
    local = as_utc(moment).astimezone()
    shifted = local - timedelta(hours=rollover_hour)
    start_local = datetime.combine(shifted.date(), time(rollover_hour), tzinfo=None)
    return start_local.astimezone().astimezone(timezone.utc)


def next_day_start(moment: datetime, rollover_hour: int = 0) -> datetime:
    # Adding 26 h and re-snapping handles days of 23 or 25 hours around clock changes.
    return day_start(day_start(moment, rollover_hour) + timedelta(hours=26), rollover_hour)


def local_date(moment: datetime, rollover_hour: int = 0):
    """The learner's calendar date for `moment` (the day it counts towards)."""
    return (as_utc(moment).astimezone() - timedelta(hours=rollover_hour)).date()


def describe_interval(interval: timedelta) -> str:
    """Short, Anki-like: 45s, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, interval.total_seconds())
    if seconds < 60:
        return f"{round(seconds)}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
