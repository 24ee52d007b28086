"""How current the catalog is, judged from the sync log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Freshness:
    """state: 'never' (no successful sync), 'failing' (last attempt failed), 'stale' or 'fresh'."""

    state: str
    last_success_at: datetime | None
    age: timedelta | None


def catalog_freshness(
    last_success_at: datetime | None,
    last_attempt_failed: bool,
    now: datetime,
    stale_after: timedelta,
) -> Freshness:
    """Classify the catalog so a banner can say how old it is and why."""
    if last_success_at is None:
        return Freshness("never", None, None)
    age = max(now - last_success_at, timedelta(0))
    if last_attempt_failed:
        return Freshness("failing", last_success_at, age)
    if age > stale_after:
        return Freshness("stale", last_success_at, age)
    return Freshness("fresh", last_success_at, age)
