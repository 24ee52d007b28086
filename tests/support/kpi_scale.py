"""A large KPI file and a store that knows its models, for measuring the memory of an import.

`python -m tests.support.kpi_scale STORE FILE ROWS` syncs MODELS generated models into the
store STORE and writes ROWS distinct KPI rows (model, kpi, period, value, unit, segment) to the
Parquet file FILE (a CSV file when FILE ends in .csv), then `portal import-kpis FILE` with
PORTAL_STORE_PATH=STORE loads them.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import duckdb

from portal.store import open_store
from tests.conftest import sync_fake
from tests.support.report_scale import generated_registry

MODELS = 100
KPIS = 10
MONTHS = 120  # ten years, so every (model, kpi, period, segment) key is distinct


def model_store(path: Path, models: int = MODELS) -> None:
    """A migrated store at path holding the generated models model-000 ... ."""
    store = open_store(path)
    try:
        sync_fake(store, generated_registry(models), datetime(2026, 11, 1))
    finally:
        store.close()


def write_parquet(
    path: Path, rows: int, *, models: int = MODELS, bad_row: int | None = None
) -> None:
    """rows distinct KPI rows as Parquet (period a DATE, value a DOUBLE); DuckDB writes them in
    row groups, so writing takes little memory. bad_row (1-based) names a model nobody knows."""
    per_segment = models * KPIS * MONTHS
    bad = -1 if bad_row is None else bad_row - 1
    with duckdb.connect() as con:
        con.execute(
            f"""
            COPY (
                SELECT CASE WHEN i = {bad} THEN 'no-such-model'
                            ELSE 'model-' || lpad((i % {models})::VARCHAR, 3, '0') END AS model,
                       'kpi ' || (i // {models} % {KPIS}) AS kpi,
                       (DATE '2017-01-01'
                        + to_months((i // {models * KPIS} % {MONTHS})::INTEGER))::DATE AS period,
                       round((hash(i) % 100000) / 100.0, 2)::DOUBLE AS value,
                       'EUR' AS unit,
                       'segment ' || (i // {per_segment}) AS segment
                FROM range({rows}) AS t(i) ORDER BY i
            ) TO '{path}' (FORMAT parquet)
            """
        )


def write_csv(path: Path, rows: int, *, quoted: bool = False) -> None:
    """The same rows as write_parquet as a CSV (period as YYYY-MM); quoted: every KPI name in
    quotes, so the reader must follow quoting to count lines."""
    parquet = path.with_suffix(".parquet")
    write_parquet(parquet, rows)
    quoting = ", FORCE_QUOTE (kpi)" if quoted else ""
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT model, kpi, strftime(period, '%Y-%m') AS period, value, unit, segment"
            f" FROM read_parquet('{parquet}')) TO '{path}' (HEADER{quoting})"
        )
    parquet.unlink()


def main(store_path: Path, file_path: Path, rows: int) -> None:
    model_store(store_path)
    if file_path.suffix == ".csv":
        write_csv(file_path, rows)
    else:
        write_parquet(file_path, rows)
    print(f"{rows} rows in {file_path} ({file_path.stat().st_size} bytes); store {store_path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
