"""The one source of time. `CASEBOOK_NOW` fixes it (demos, snapshots, tests; read by casebook.config)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The law applied is Belgian: deadlines, working hours and dates are Brussels time.
try:
    LOCAL_ZONE: timezone | ZoneInfo = ZoneInfo("Europe/Brussels")
except ZoneInfoNotFoundError:  # a system without tz data; pip's tzdata package provides it
    LOCAL_ZONE = UTC


def zone_of(name: str) -> tzinfo:
    """A time zone by its IANA name ("Europe/Brussels", "UTC"); ValueError for a name that is none."""
    if name.strip().upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(name) from None


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; tests advance it by hand."""

    def __init__(self, at: datetime) -> None:
        self._at = as_utc(at)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC, so a stored value always compares."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 date or date-time; a bare date means midnight UTC."""
    return as_utc(datetime.fromisoformat(text.strip()))


def fixed_or_system(at: datetime | None) -> Clock:
    """A clock standing at `at` when it is given (CASEBOOK_NOW), else the system's."""
    return FixedClock(at) if at is not None else SystemClock()


def to_text(moment: datetime) -> str:
    """The stored form: ISO-8601 in UTC, seconds precision."""
    return as_utc(moment).isoformat(timespec="seconds")


def from_text(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


def local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(LOCAL_ZONE)


def parse_day(text: str) -> date:
    """A calendar day as people type it: 2026-11-28, 28/11/2026, 28-11-2026 or 28.11.2026 (day first)."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def local_text(moment: datetime) -> str:
    """A moment as the casebook shows it: Brussels time, to the minute."""
    return local(moment).strftime("%Y-%m-%d %H:%M")
