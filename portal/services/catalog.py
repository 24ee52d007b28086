"""Read models of the catalog: overview figures, the inventory, and one model's card."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.catalog import (
    DatasetFact,
    GroupCount,
    InventoryRow,
    Lineage,
    MetricFact,
    ModelCard,
    Overview,
    VersionFact,
)
from portal.domain.documentation import (
    CONTRACT_TAGS,
    documentation_gaps,
    documentation_score,
    effective_tags,
    split_list_tag,
)
from portal.domain.freshness import Freshness, catalog_freshness
from portal.domain.metrics import metric_meaning, usable_value
from portal.domain.production import RegistryEvent, production_history
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store, as_record
from portal.store.sync_log_repo import MLFLOW_SOURCE, SyncLogRepository

DEMO_TAG = "portal.demo"


class CatalogService:
    """Read models built from the store; no MLflow calls."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.catalog = CatalogRepository(store)

    def data_version(self) -> int:
        """Cache key: changes whenever a sync or write changes the store."""
        return self.store.data_version()

    def inventory(self) -> list[InventoryRow]:
        """Every active model, sorted by name."""
        tags_by_model = group_tags(self.catalog.effective_tag_rows())
        return [
            _inventory_row(row, tags_by_model.get(row["name"], ({}, {})))
            for row in self.catalog.inventory()
        ]

    def overview(self) -> Overview:
        """Headline figures and the spread over business processes and units."""
        rows = self.inventory()
        counts = self.catalog.counts()
        return Overview(
            models=counts["models"],
            in_production=counts["in_production"],
            versions=counts["versions"],
            incompletely_documented=sum(1 for row in rows if row.documentation_gaps),
            undocumented=sum(1 for row in rows if row.documentation_score == 0),
            processes=_group(rows, lambda row: row.business_process),
            units=_group(rows, lambda row: row.business_unit),
            is_demo=any(row.is_demo for row in rows),
        )

    def latest_syncs(self) -> list[Row]:
        """Per source: the last sync attempt and the last successful one (for freshness)."""
        return SyncLogRepository(self.store).latest_per_source()

    def freshness(
        self, now: datetime | None = None, latest_syncs: Sequence[Row] | None = None
    ) -> Freshness:
        """How old the catalog is and whether the last MLflow sync failed; latest_syncs: the
        log as latest_syncs() read it (a cached copy), else it is read now."""
        rows = self.latest_syncs() if latest_syncs is None else latest_syncs
        latest = {row["source"]: row for row in rows}
        mlflow = latest.get(MLFLOW_SOURCE)
        return catalog_freshness(
            mlflow["last_success_at"] if mlflow else None,
            bool(mlflow and mlflow["last_status"] == "failed"),
            now or utc_now(),
            timedelta(hours=self.settings.stale_after_hours),
        )

    def model_card(self, name: str) -> ModelCard | None:
        """One model's card, or None when no active model has that name."""
        model = self.catalog.model(name)
        if model is None:
            return None
        model_tags, version_tags = group_tags(self.catalog.effective_tag_rows(name)).get(
            name, ({}, {})
        )
        tags = effective_tags(model_tags, version_tags)
        versions = tuple(_version_fact(row) for row in self.catalog.versions_of(name))
        live = [v for v in versions if v.deleted_at is None]
        described = model["production_version"] or (live[0].version if live else None)
        run_id = next((v.run_id for v in versions if v.version == described), None)
        events = [
            RegistryEvent(e["observed_at"], e["marker"], e["version_before"], e["version_after"])
            for e in self.catalog.ledger(name)
        ]
        return ModelCard(
            name=name,
            description=model["description"],
            tags=tags,
            data_sources=split_list_tag(tags.get("data_sources", "")),
            documentation_score=documentation_score(tags),
            documentation_gaps=documentation_gaps(tags),
            is_demo=tags.get(DEMO_TAG) == "true",
            production_version=model["production_version"],
            production_marker=model["production_marker"],
            production_since=model["production_since"],
            first_seen_at=model["first_seen_at"],
            history=tuple(reversed(production_history(events, self.settings.production_aliases))),
            described_version=described,
            versions=versions,
            metrics=self._metrics(run_id) if run_id else (),
            lineage=self._lineage(run_id) if run_id else None,
        )

    def _metrics(self, run_id: str) -> tuple[MetricFact, ...]:
        facts = []
        for row in self.catalog.run_metrics(run_id):
            facts.append(
                MetricFact(row["key"], usable_value(row["value"]), metric_meaning(row["key"]))
            )
        # Known metrics first, so readers meet the explained ones before the rest.
        return tuple(sorted(facts, key=lambda fact: (fact.meaning.code is None, fact.name)))

    def _lineage(self, run_id: str) -> Lineage | None:
        run = self.catalog.run(run_id)
        if run is None:
            return None
        return as_record(
            Lineage,
            run,
            run_id=run_id,
            trained_by=run["user_name"],
            datasets=tuple(
                DatasetFact(**{**row, "source": readable_source(row["source"])})
                for row in self.catalog.run_datasets(run_id)
            ),
            params=tuple((row["key"], row["value"]) for row in self.catalog.run_params(run_id)),
        )


def filter_inventory(
    rows: Iterable[InventoryRow],
    text: str = "",
    processes: Sequence[str] = (),
    units: Sequence[str] = (),
    production_only: bool = False,
    gaps_only: bool = False,
) -> list[InventoryRow]:
    """Rows matching a free-text search (name, purpose, owner, team) and the chosen filters."""
    needle = text.strip().casefold()
    matches = []
    for row in rows:
        haystack = " ".join((row.name, row.purpose, row.technical_owner, row.team)).casefold()
        if needle and needle not in haystack:
            continue
        if processes and row.business_process not in processes:
            continue
        if units and row.business_unit not in units:
            continue
        if production_only and row.production_version is None:
            continue
        if gaps_only and not row.documentation_gaps:
            continue
        matches.append(row)
    return matches


def readable_source(source: str) -> str:
    """MLflow logs a dataset's source as JSON ({"url": ...}); show the location itself."""
    try:
        parsed = json.loads(source)
    except ValueError:
        return source
    if isinstance(parsed, dict):
        for key in ("url", "uri", "path", "table_name", "source"):
            if isinstance(parsed.get(key), str):
                return parsed[key]
    return source


def _inventory_row(row: Row, tags: tuple[dict[str, str], dict[str, str]]) -> InventoryRow:
    merged = effective_tags(*tags)
    return InventoryRow(
        name=row["name"],
        purpose=merged.get("purpose", "").strip(),
        business_process=merged.get("business_process", "").strip(),
        business_unit=merged.get("business_unit", "").strip(),
        technical_owner=merged.get("owner", "").strip(),
        team=merged.get("team", "").strip(),
        production_version=row["production_version"],
        production_since=row["production_since"],
        version_count=row["version_count"],
        last_trained_at=row["last_trained_at"],
        documentation_score=documentation_score(merged),
        documentation_gaps=documentation_gaps(merged),
        is_demo=merged.get(DEMO_TAG) == "true",
    )


def _version_fact(row: Row) -> VersionFact:
    return as_record(
        VersionFact,
        row,
        aliases=tuple(row["aliases"] or ()),
        registered_at=row["created_at"],
        trained_by=row["trained_by"] or "",
    )


def _group(rows: list[InventoryRow], key) -> tuple[GroupCount, ...]:
    models = Counter(key(row) for row in rows)
    in_production = Counter(key(row) for row in rows if row.production_version is not None)
    # Undocumented groups ('') sort last so named processes lead.
    return tuple(
        GroupCount(name, models[name], in_production[name])
        for name in sorted(models, key=lambda name: (name == "", name.casefold()))
    )


__all__ = ["CONTRACT_TAGS", "CatalogService", "filter_inventory"]
