"""The store `make bench` measures: 1,000 models, 10,000 versions, 10 million KPI rows.

Built once through MLflow and the portal's own sync and services (portal/demo/scale.py), then
kept under data/bench-cache/<BENCH_VERSION>/ (data/ is not committed); change BENCH_VERSION
when what the store holds changes, and the next run builds a fresh one.

    .venv/bin/python -m tests.perf.bench_store [MODELS]   # build (or reuse) and print its size
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from portal.config import Settings
from portal.demo import scale
from portal.services.identity import LOCAL_USER
from portal.services.value import ValueService
from portal.sources.mlflow_source import MlflowSource, release_sql_store
from portal.store import open_store
from portal.sync import sync_mlflow
from tests.conftest import PROJECT_ROOT, load_settings_for

BENCH_VERSION = "1"
MODELS = 1000
KPI_ROWS = 10_000_000
NOW = datetime(2026, 11, 30, 9, 0)
CACHE = PROJECT_ROOT / "data" / "bench-cache"
BULK_KPIS = 5  # KPIs per model in the bulk file, beside each model's promised KPI
BULK_MONTHS = 100


@dataclass(frozen=True)
class BenchStore:
    folder: Path
    settings: Settings
    models: int
    versions: int
    kpi_rows: int
    build_seconds: dict[str, float]


def bench_store(models: int = MODELS, kpi_rows: int = KPI_ROWS) -> BenchStore:
    """The cached bench store, built first when absent (or left half-built by a crash)."""
    folder = CACHE / f"v{BENCH_VERSION}-{models}-{kpi_rows}"
    settings = settings_for(folder)
    done = folder / "built.txt"
    if not done.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        seconds = _build(settings, folder, models, kpi_rows)
        done.write_text("\n".join(f"{key} {value:.1f}" for key, value in seconds.items()))
    seconds = {
        key: float(value) for key, value in (line.split() for line in done.read_text().splitlines())
    }
    with duckdb.connect(str(settings.store_path), read_only=True) as con:
        count = con.execute("SELECT count(*) FROM registered_models").fetchone()[0]
        versions = con.execute("SELECT count(*) FROM model_versions").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM kpi_observations").fetchone()[0]
    return BenchStore(folder, settings, count, versions, rows, seconds)


def settings_for(folder: Path) -> Settings:
    return load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")


def _build(settings: Settings, folder: Path, models: int, kpi_rows: int) -> dict[str, float]:
    store = open_store(settings.store_path)
    source = MlflowSource(settings.mlflow_tracking_uri)

    def sync_at(moment: datetime) -> None:
        result = sync_mlflow(
            store,
            source,
            source_uri="bench",
            alias_precedence=settings.production_aliases,
            trigger="demo",
            now=moment,
        )
        assert result.ok, result.error

    try:
        summary = scale.add_synthetic_models(
            settings, store, models, NOW, sync_at, folder / "artifacts"
        )
        seconds = dict(summary.seconds)
        started = time.perf_counter()
        bulk = folder / "bulk-kpis.parquet"
        written = write_bulk_kpis(bulk, kpi_rows - _rows(store), scale.plan(models))
        if written:
            outcome = ValueService(store, settings).load_kpis(
                LOCAL_USER, bulk, bulk.name, "cli", now=NOW
            )
            assert outcome.loaded, outcome.rejects[:3]
        bulk.unlink(missing_ok=True)
        seconds["bulk_kpis"] = time.perf_counter() - started
    finally:
        store.close()
        release_sql_store(settings.mlflow_tracking_uri)
    return seconds


def _rows(store) -> int:
    return store.fetch_value("n", "SELECT count(*) AS n FROM kpi_observations")


def write_bulk_kpis(path: Path, rows: int, models) -> int:
    """rows more KPI rows, distinct from the synthetic demo's: per model BULK_KPIS KPIs over
    BULK_MONTHS months, in as many segments as it takes."""
    if rows <= 0:
        return 0
    names = [model.name for model in models]
    per_segment = len(names) * BULK_KPIS * BULK_MONTHS
    with duckdb.connect() as con:
        con.execute(
            "CREATE TABLE names AS SELECT n.name, (n.i - 1)::BIGINT AS i"
            " FROM unnest($names) WITH ORDINALITY AS n(name, i)",
            {"names": names},
        )
        con.execute(
            f"""
            COPY (
                SELECT names.name AS model,
                       'operational kpi ' || (t.i // {len(names)} % {BULK_KPIS}) AS kpi,
                       (DATE '2018-01-01' + to_months(
                           (t.i // {len(names) * BULK_KPIS} % {BULK_MONTHS})::INTEGER))::DATE
                           AS period,
                       round((hash(t.i) % 100000) / 100.0, 2)::DOUBLE AS value,
                       'count' AS unit,
                       'region ' || lpad((t.i // {per_segment})::VARCHAR, 3, '0') AS segment
                FROM range({rows}) AS t(i) JOIN names ON names.i = t.i % {len(names)}
                ORDER BY t.i
            ) TO '{path}' (FORMAT parquet)
            """
        )
    return rows


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    models = int(sys.argv[1]) if len(sys.argv) > 1 else MODELS
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else KPI_ROWS
    started = time.perf_counter()
    built = bench_store(models, rows)
    print(built, f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
