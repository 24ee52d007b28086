"""KPI observations, their loads, and benchmark versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from portal.store.database import Row, Store, Transaction

_BENCHMARK_COLUMNS = (
    "id, model_name, kpi, version, baseline, target, direction, aggregation, unit,"
    " money_per_unit, rationale, valid_from, set_by, set_at"
)


class ValueRepository:
    """Named queries for the business-value feature."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- benchmarks ---------------------------------------------------------------------------

    @staticmethod
    def latest_benchmark_in(tx: Transaction, model_name: str, kpi: str) -> Row | None:
        """The newest version of a promise, read inside the writing transaction."""
        return tx.fetch_row(
            f"SELECT {_BENCHMARK_COLUMNS} FROM benchmarks WHERE model_name = $model AND kpi = $kpi"
            " ORDER BY version DESC LIMIT 1",
            {"model": model_name, "kpi": kpi},
        )

    @staticmethod
    def insert_benchmark(tx: Transaction, row: dict[str, Any]) -> int:
        """Store a new version and return its id."""
        return tx.fetch_value(
            "INSERT INTO benchmarks (model_name, kpi, version, baseline, target, direction,"
            " aggregation, unit, money_per_unit, rationale, valid_from, set_by, set_at)"
            " VALUES ($model_name, $kpi, $version, $baseline, $target, $direction, $aggregation,"
            " $unit, $money_per_unit, $rationale, $valid_from, $set_by, $set_at) RETURNING id",
            row,
        )

    def benchmarks(self, model_name: str | None = None) -> list[Row]:
        """Every benchmark version, per model and KPI oldest first."""
        return self.store.fetch_all(
            "benchmarks",
            f"SELECT {_BENCHMARK_COLUMNS} FROM benchmarks"
            " WHERE $model IS NULL OR model_name = $model ORDER BY model_name, kpi, version",
            {"model": model_name},
        )

    # --- KPI observations -----------------------------------------------------------------------

    @staticmethod
    def export_observations(tx: Transaction, checked: Path, out: Path) -> None:
        """Write the stored rows a load may meet (same model and KPI, within its months) with
        their row ids to a Parquet file, for comparing outside the store."""
        tx.execute(
            "COPY (SELECT o.rowid AS row_id, o.model_name AS model, o.kpi, o.period, o.segment,"
            " o.value, o.unit FROM kpi_observations o"
            " SEMI JOIN (SELECT DISTINCT model, kpi FROM read_parquet($checked)) c"
            " ON c.model = o.model_name AND c.kpi = o.kpi"
            " WHERE o.period BETWEEN (SELECT min(period) FROM read_parquet($checked))"
            " AND (SELECT max(period) FROM read_parquet($checked)))"
            f" TO {_sql_text(str(out))} (FORMAT parquet)",
            {"checked": str(checked)},
        )

    @staticmethod
    def apply_changes(tx: Transaction, changes: Path, load_id: int) -> None:
        """Replace the stored rows named by row_id and add the rest, all from a Parquet file;
        both statements stream it, so no index has to hold every key in memory."""
        tx.execute(
            "DELETE FROM kpi_observations WHERE rowid IN"
            " (SELECT row_id FROM read_parquet($changes) WHERE row_id IS NOT NULL)",
            {"changes": str(changes)},
        )
        tx.execute(
            "INSERT INTO kpi_observations (model_name, kpi, period, segment, value, unit, load_id)"
            " SELECT model, kpi, period, segment, value, unit, $load_id"
            " FROM read_parquet($changes)",
            {"changes": str(changes), "load_id": load_id},
        )

    @staticmethod
    def insert_load(tx: Transaction, row: dict[str, Any]) -> int:
        """Record one load and return its id."""
        return tx.fetch_value(
            "INSERT INTO kpi_loads (loaded_at, loaded_by, channel, file_name, checksum,"
            " rows_in_file, rows_added, rows_replaced, rows_unchanged) VALUES ($loaded_at,"
            " $loaded_by, $channel, $file_name, $checksum, $rows_in_file, $rows_added,"
            " $rows_replaced, $rows_unchanged) RETURNING id",
            row,
        )

    def loads(self, limit: int = 50) -> list[Row]:
        """The latest loads, newest first."""
        return self.store.fetch_all(
            "kpi_loads",
            "SELECT * FROM kpi_loads ORDER BY loaded_at DESC, id DESC LIMIT $limit",
            {"limit": limit},
        )

    def monthly_series(
        self, first: date, last: date, model_name: str | None = None, cost_kpi: str = ""
    ) -> list[Row]:
        """Per model, KPI and month: the total (segment '') value, for the value pages; the
        cost KPI's rows are cost, not value, and are left out."""
        return self.store.fetch_all(
            "kpi_monthly_series",
            """
            SELECT model_name, kpi, period, value, unit
            FROM kpi_observations
            WHERE segment = '' AND period BETWEEN $first AND $last
              AND ($model IS NULL OR model_name = $model) AND kpi <> $cost_kpi
            ORDER BY model_name, kpi, period
            """,
            {"first": first, "last": last, "model": model_name, "cost_kpi": cost_kpi},
        )

    def earliest_period(self) -> date | None:
        """The first month with any observation."""
        return self.store.fetch_value("kpi_earliest", "SELECT min(period) FROM kpi_observations")


def _sql_text(text: str) -> str:
    """A SQL string literal (the target of COPY takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"
