"""The portal's only clock: jobs, services, pages and PDFs read the time here, in UTC.

The store keeps naive UTC timestamps, so a page and a PDF made in the same second agree on
the day, the month and the quarter, whatever the server's local time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """The current time as naive UTC, the store's convention."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """The current day in UTC."""
    return utc_now().date()
