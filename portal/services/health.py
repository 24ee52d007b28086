"""The health report behind GET /api/health."""

from __future__ import annotations

from dataclasses import dataclass

from portal.errors import QueryTimeout
from portal.runtime import Runtime
from portal.services.catalog import CatalogService
from portal.store.catalog_repo import CatalogRepository


@dataclass(frozen=True)
class HealthReport:
    """JSON-ready: 'ok' while the store answers; the catalog's last sync and counts."""

    status: str
    store: str
    last_sync: dict
    counts: dict


def health_report(runtime: Runtime) -> HealthReport:
    """Ask the store for counts and freshness; a store that does not answer is unavailable."""
    try:
        counts = CatalogRepository(runtime.store).counts()
        freshness = CatalogService(runtime.store, runtime.settings).freshness()
    except QueryTimeout as exc:
        return HealthReport(
            "unavailable", str(runtime.settings.store_path), {"error": str(exc)}, {}
        )
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
