"""The health report behind GET /api/health: status and ages for anyone, paths for admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from portal.errors import PortalError, QueryTimeout, StoreDamaged, StoreLocked, StoreUnavailable
from portal.runtime import Runtime
from portal.services.catalog import CatalogService
from portal.store.catalog_repo import CatalogRepository


@dataclass(frozen=True)
class HealthReport:
    """'ok' while the store answers, with the last sync and counts; else the problem's code."""

    status: str
    store: str
    last_sync: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    problem: str = ""  # damaged | locked | unavailable | timeout
    error: str = ""  # the full message; it may name files, so only admins see it

    def as_json(self, admin: bool) -> dict:
        """The answer to send: status and ages for anyone; counts, path and errors for an admin."""
        if self.status == "ok":
            body = {"status": self.status, "last_sync": self.last_sync}
        else:
            body = {"status": self.status, "problem": self.problem}
        if admin:
            body["store"] = self.store
            if self.status == "ok":
                body["counts"] = self.counts
            if self.error:
                body["error"] = self.error
        return body


def health_report(runtime: Runtime) -> HealthReport:
    """Ask the store for counts and freshness; a store that does not answer is unavailable."""
    try:
        counts = CatalogRepository(runtime.store).counts()
        freshness = CatalogService(runtime.store, runtime.settings).freshness()
    except (QueryTimeout, StoreUnavailable) as exc:
        return unavailable_report(runtime.settings.store_path, exc)
    last_success = freshness.last_success_at
    return HealthReport(
        status="ok",
        store=str(runtime.settings.store_path),
        last_sync={
            "state": freshness.state,
            "last_success_at": last_success.isoformat() + "Z" if last_success else None,
            "age_seconds": round(freshness.age.total_seconds()) if freshness.age else None,
        },
        counts={key: int(value) for key, value in counts.items()},
    )


def unavailable_report(store_path: Path, error: PortalError) -> HealthReport:
    """The report when the store cannot be opened or read, with the problem's code."""
    if isinstance(error, StoreDamaged):
        problem = "damaged"
    elif isinstance(error, StoreLocked):
        problem = "locked"
    elif isinstance(error, QueryTimeout):
        problem = "timeout"
    else:
        problem = "unavailable"
    return HealthReport("unavailable", str(store_path), problem=problem, error=str(error))
