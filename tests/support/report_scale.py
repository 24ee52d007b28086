"""A portfolio of many generated models, for timing the PDF reports.

`python -m tests.support.report_scale [N]` builds N models (default 200) in a temporary store
and prints how long the fact sheet, the portfolio report and the portfolio report with its
every-model appendix take (each: facts read from the store, rendered and recorded).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from portal.domain.risk import RISKS, AssessmentDraft
from portal.domain.value import BenchmarkDraft
from portal.runtime import command_runtime
from portal.services.report import ReportService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.sources.mlflow_records import RegistrySnapshot, SourceModel
from portal.store import open_store
from portal.store.database import Store
from tests.conftest import load_settings_for, sync_fake
from tests.support.builders import ADMIN
from tests.support.catalog_fixture import FULL_TAGS, T0, FakeSource, run, version

NOW = datetime(2026, 11, 27, 10, 0)
UNITS = ("Consumer sales", "Business", "Operations", "Finance", "HR")


@dataclass(frozen=True)
class ReportTimes:
    models: int
    fact_sheet_seconds: float
    fact_sheet_pages: int
    portfolio_seconds: float
    portfolio_pages: int
    appendix_seconds: float
    appendix_pages: int


def generated_registry(count: int, seed: int = 7) -> FakeSource:
    """count models; three in four in production, with documented tags."""
    rng = random.Random(seed)
    models, versions, runs = [], [], {}
    for index in range(count):
        name = f"model-{index:03d}"
        tags = {
            **FULL_TAGS,
            "business_unit": UNITS[index % len(UNITS)],
            "business_process": f"Process {index % 17}",
            "owner": f"owner{index % 23}@example.com",
        }
        aliases = {"champion": 1} if index % 4 else {}
        models.append(SourceModel(name, f"Generated model {index}.", T0, T0, tags, aliases))
        run_id = f"run-{index}"
        runs[run_id] = run(run_id, T0, accuracy=round(rng.uniform(0.7, 0.95), 3))
        versions.append(version(name, 1, run_id))
    return FakeSource(RegistrySnapshot(tuple(models), tuple(versions)), runs)


def fill(store: Store, settings, count: int, seed: int = 7) -> None:
    """Sync the generated registry, then promises, three months of KPIs and assessments."""
    rng = random.Random(seed)
    sync_fake(store, generated_registry(count, seed), NOW - timedelta(days=60))
    values = ValueService(store, settings)
    risks = RiskService(store, settings)
    lines = ["model,kpi,period,value"]
    for index in range(count):
        if index % 4 == 0:  # not in production
            continue
        name = f"model-{index:03d}"
        draft = BenchmarkDraft(
            "saved hours", 100.0, 140.0, "higher", "sum", "hours", 55.0, "Pilot.", date(2026, 1, 1)
        )
        values.set_benchmark(ADMIN, name, draft, now=NOW - timedelta(days=50))
        for month in ("2026-08", "2026-09", "2026-10"):
            lines.append(f"{name},saved hours,{month},{rng.uniform(90, 150):.1f}")
        if index % 2:
            for risk in RISKS:
                draft = AssessmentDraft(
                    risk, rng.randint(1, 5), rng.randint(1, 5), "Mitigated.", date(2027, 1, 1)
                )
                risks.assess(ADMIN, name, draft, now=NOW - timedelta(days=40))
    outcome = values.load_kpis(ADMIN, "\n".join(lines).encode(), "kpis.csv", "cli", now=NOW)
    assert outcome.loaded, outcome.rejects[:3]


def time_reports(store: Store, settings, count: int, appendix: bool = True) -> ReportTimes:
    """Generate (and record) one fact sheet, one portfolio report and, if asked, one with its
    appendix; time each (an appendix not made reads 0 seconds and 0 pages)."""
    service = ReportService(command_runtime(settings, store))
    started = time.perf_counter()
    sheet = service.fact_sheet(ADMIN, "model-001", "en", NOW)
    sheet_seconds = time.perf_counter() - started
    started = time.perf_counter()
    portfolio = service.portfolio(ADMIN, "en", NOW)
    portfolio_seconds = time.perf_counter() - started
    appendix_seconds, appendix_pages = 0.0, 0
    if appendix:
        started = time.perf_counter()
        appendix_pages = service.portfolio(ADMIN, "en", NOW, appendix=True).pages
        appendix_seconds = time.perf_counter() - started
    return ReportTimes(
        count,
        sheet_seconds,
        sheet.pages,
        portfolio_seconds,
        portfolio.pages,
        appendix_seconds,
        appendix_pages,
    )


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings_for(Path(folder) / "portal.duckdb", "sqlite:///unused.db")
        store = open_store(settings.store_path)
        fill(store, settings, count)
        # The first report starts kaleido's browser: warm it up so the figures are typical.
        time_reports(store, settings, count, appendix=False)
        print(time_reports(store, settings, count))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
