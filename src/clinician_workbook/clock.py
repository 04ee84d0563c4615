"""Showing stored times to people: stored as ISO-8601 UTC, shown in the local time zone.

The store keeps every time in UTC (``2025-01-31T09:15:02.123456+00:00``); people read their
own clock. "Local" is the time zone of the machine running the code (the ``TZ`` environment
variable is honoured): on a trainee's own machine that is the trainee's zone; on a shared hub
server it is the server's, which the hub should set to the programme's zone.

A value that is not an ISO time is returned as it is (plain text, for the caller to escape
like any other text), never raised on: one odd row must not break a page or a widget.
A time without an offset is taken as UTC, because that is how every time is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime


def _local(iso: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(iso)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone()
    except (TypeError, ValueError, OverflowError, OSError):  # not a time, or out of the local clock's range
        return None


def _show(iso: str, pattern: str) -> str:
    moment = _local(iso)
    return str(iso) if moment is None else moment.strftime(pattern)


def local_time(iso: str) -> str:
    """``"14:05:09"``: the time of day of a stored time, on the local clock."""
    return _show(iso, "%H:%M:%S")


def local_datetime(iso: str) -> str:
    """``"2025-01-31 14:05"``: date and time to the minute, on the local clock."""
    return _show(iso, "%Y-%m-%d %H:%M")


def local_date(iso: str) -> str:
    """``"2025-01-31"``: the local date of a stored time (it may differ from the UTC date)."""
    return _show(iso, "%Y-%m-%d")


__all__ = ["local_date", "local_datetime", "local_time"]
