"""Business value: owners set benchmarks, admins load KPIs; both authorized and audited here."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.documentation import effective_tags
from portal.domain.validation import Problem
from portal.domain.value import (
    PERIODS,
    BenchmarkDraft,
    KpiValue,
    Portfolio,
    Thresholds,
    check_benchmark,
    first_of_month,
    month_values,
    months_between,
    portfolio_of,
    revisions,
    summarize,
)
from portal.domain.value import Benchmark as BenchmarkTerms
from portal.errors import InvalidInput, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store
from portal.store.value_repo import ValueRepository

CHANNELS = ("upload", "cli", "api")
__all__ = [
    "CHANNELS",
    "PERIODS",
    "KpiValue",
    "LoadOutcome",
    "Portfolio",
    "ValueService",
    "benchmark_terms",
]


@dataclass(frozen=True)
class LoadOutcome:
    """The result of one KPI load: stored (with counts) or rejected (with every reason)."""

    loaded: bool
    load_id: int | None
    rows_in_file: int
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    rejects: tuple  # of portal.sources.kpi_files.Reject


class ValueService:
    """Writes of the business-value feature."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.catalog = CatalogRepository(store)
        self.value = ValueRepository(store)

    def set_benchmark(
        self,
        actor: Identity,
        model_name: str,
        draft: BenchmarkDraft,
        now: datetime | None = None,
    ) -> int:
        """Store a new version of a model's promise for a KPI; return its version number."""
        if self.catalog.model(model_name) is None:
            raise UnknownModel(model_name)
        authorize(self.store, actor, "benchmark.set", model_name)
        problems = check_benchmark(draft)
        if draft.kpi.strip() == self.settings.cost_kpi:
            # The running cost is a cost against the value, not a value with a promise.
            problems += (Problem("kpi", "cost_kpi"),)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        row = {
            "model_name": model_name,
            "kpi": draft.kpi.strip(),
            "baseline": draft.baseline,
            "target": draft.target,
            "direction": draft.direction,
            "aggregation": draft.aggregation,
            "unit": draft.unit.strip(),
            "money_per_unit": draft.money_per_unit,
            "rationale": draft.rationale.strip(),
            "valid_from": first_of_month(draft.valid_from),  # type: ignore[arg-type]
            "set_by": actor.label,
            "set_at": at,
        }
        with self.store.transaction() as tx:
            previous = ValueRepository.latest_benchmark_in(tx, model_name, row["kpi"])
            row["version"] = (previous["version"] + 1) if previous else 1
            ValueRepository.insert_benchmark(tx, row)
            write_audit(
                tx,
                actor,
                "benchmark.set",
                ("benchmark", f"{model_name}/{row['kpi']}/v{row['version']}"),
                at,
                model_name=model_name,
                before=benchmark_terms(previous),
                after=benchmark_terms(row),
            )
            tx.bump_data_version()
        return row["version"]

    def may_set_benchmark(self, actor: Identity, model_name: str) -> bool:
        """For the interface: offer the benchmark form or not (the save checks again)."""
        return may(self.store, actor, "benchmark.set", model_name)

    def load_kpis(
        self,
        actor: Identity,
        data: bytes | Path,
        file_name: str,
        channel: str,
        now: datetime | None = None,
    ) -> LoadOutcome:
        """Validate a KPI file (its bytes or its path) and load it whole, or store nothing and
        report every reject; checked and compared on disk, so memory stays bounded."""
        authorize(self.store, actor, "kpis.import")
        return load_checked_kpis(self.store, actor, data, file_name, channel, now)

    def portfolio(
        self,
        first: date,
        last: date,
        units: Sequence[str] = (),
        processes: Sequence[str] = (),
        model_name: str | None = None,
    ) -> Portfolio:
        """Realized against promised per KPI for the months first..last (of one model, or all
        in the units and processes), read and evaluated once: totals, statuses and money per
        month all come from these rows."""
        months = months_between(first, last)
        observed: dict[tuple[str, str], dict[date, float]] = defaultdict(dict)
        for row in self.value.monthly_series(first, last, model_name, self.settings.cost_kpi):
            observed[(row["model_name"], row["kpi"])][row["period"]] = row["value"]
        versions: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in self.value.benchmarks(model_name):
            versions[(row["model_name"], row["kpi"])].append(row)
        tags = group_tags(self.catalog.effective_tag_rows(model_name))
        thresholds = Thresholds(self.settings.value_on_track, self.settings.value_off_track)
        rows = []
        for (model, kpi), history in sorted(versions.items()):
            if kpi == self.settings.cost_kpi:
                continue  # the running cost counts against the value (services/costs.py)
            merged = effective_tags(*tags.get(model, ({}, {})))
            unit, process = merged.get("business_unit", ""), merged.get("business_process", "")
            if (units and unit not in units) or (processes and process not in processes):
                continue
            latest = history[-1]
            values = month_values(
                observed.get((model, kpi), {}), [_as_terms(row) for row in history], months
            )
            rows.append(
                KpiValue(
                    model,
                    kpi,
                    latest["unit"],
                    latest["direction"],
                    latest["aggregation"],
                    unit,
                    process,
                    latest["baseline"],
                    latest["target"],
                    latest["version"],
                    summarize(values, latest["aggregation"], thresholds),
                    tuple(values),
                )
            )
        return portfolio_of(first, last, rows)

    def earliest_observation(self) -> date | None:
        """The first month any KPI was observed, for the 'all' period."""
        return self.value.earliest_period()

    def benchmark_history(self, model_name: str) -> list[Row]:
        """Every version of a model's promises, per KPI oldest first."""
        return self.value.benchmarks(model_name)


def load_checked_kpis(
    store: Store,
    actor: Identity,
    data: bytes | Path,
    file_name: str,
    channel: str,
    now: datetime | None = None,
    *,
    known: list[str] | None = None,
    audit_action: str = "kpis.loaded",
    audit_model: str | None = None,
) -> LoadOutcome:
    """The load behind load_kpis, for callers that have authorized the actor themselves (an
    owner entering one running cost): checked the same way, whole file or nothing, audited
    as audit_action (on audit_model). known: the model names rows may name (default: every
    active model)."""
    from portal.sources.kpi_files import compare_kpi_rows, read_kpi_file

    if known is None:
        known = [row["name"] for row in CatalogRepository(store).inventory()]
    with tempfile.TemporaryDirectory(prefix="portal-kpis-") as folder:
        work_dir = Path(folder)
        parsed = read_kpi_file(data, file_name, known, work_dir=work_dir)
        if parsed.rows is None:
            return LoadOutcome(False, None, parsed.row_count, 0, 0, 0, parsed.rejects)
        at = now or utc_now()
        with store.transaction() as tx:
            stored = work_dir / "stored.parquet"
            ValueRepository.export_observations(tx, parsed.rows, stored)
            changes = compare_kpi_rows(parsed.rows, stored, work_dir)
            load = {
                "loaded_at": at,
                "loaded_by": actor.label,
                "channel": channel,
                "file_name": file_name,
                "checksum": parsed.checksum,
                "rows_in_file": parsed.row_count,
                "rows_added": changes.added,
                "rows_replaced": changes.replaced,
                "rows_unchanged": changes.unchanged,
            }
            load_id = ValueRepository.insert_load(tx, load)
            ValueRepository.apply_changes(tx, changes.rows, load_id)
            write_audit(
                tx,
                actor,
                audit_action,
                ("kpi_load", str(load_id)),
                at,
                model_name=audit_model,
                after=load,
            )
            if load["rows_added"] or load["rows_replaced"]:
                tx.bump_data_version()
    return LoadOutcome(
        True,
        load_id,
        parsed.row_count,
        load["rows_added"],
        load["rows_replaced"],
        load["rows_unchanged"],
        (),
    )


def changes_between(before: Row, after: Row) -> tuple:
    """What a benchmark revision changed, for sentences like "target lowered from 75 to 73"."""
    return revisions(_as_terms(before), _as_terms(after))


def _as_terms(row: Row) -> BenchmarkTerms:
    return BenchmarkTerms(
        row["baseline"],
        row["target"],
        row["direction"],
        row["aggregation"],
        row["valid_from"],
        row["money_per_unit"],
        row["set_at"],
    )


def benchmark_terms(row: Row | dict | None) -> dict | None:
    """A promise's terms as the audit log records them (a model's or a use case's)."""
    if row is None:
        return None
    keys = (
        "kpi",
        "version",
        "baseline",
        "target",
        "direction",
        "aggregation",
        "unit",
        "money_per_unit",
        "rationale",
        "valid_from",
    )
    return {key: row.get(key) for key in keys}
