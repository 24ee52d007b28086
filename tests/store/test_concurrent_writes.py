"""A sync, a KPI load, benchmark saves and feedback submissions at the same moment on one store.

Each writer runs in its own thread, as the server's scheduler and its page sessions do, all
released by one barrier. Nothing may be lost, nothing may wait forever, and each write keeps
its audit entry (a sync its sync-log record).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from portal.domain.feedback import FeedbackDraft
from portal.services.feedback import FeedbackService
from portal.services.value import ValueService
from portal.sources.mlflow_records import SourceModel
from portal.store.audit_repo import AuditFilter, AuditRepository
from portal.store.catalog_repo import CatalogRepository
from portal.sync import sync_mlflow
from tests.support.builders import ADMIN, EXPERT, OWNER, RETENTION_RATE, kpi_file, promise
from tests.support.catalog_fixture import T0, base_registry, version

NEW_MODELS = 300
BENCHMARKS = 15
SUBMITTERS = 2
SUBMISSIONS_EACH = 10
KPI_MONTHS = 24
DEADLINE_SECONDS = 120

DRAFT = FeedbackDraft(
    "wrong_prediction",
    "medium",
    "C-1",
    "will cancel",
    "renewed",
    "The customer renewed for two years.",
    True,
)


def grown_registry():
    """The base registry plus many new models, so the sync has real work while others write."""
    source = base_registry()
    models = tuple(
        SourceModel(f"batch-model-{n:03d}", "", T0, T0, {"owner": OWNER.email}, {"champion": 1})
        for n in range(NEW_MODELS)
    )
    versions = tuple(version(model.name, 1, None) for model in models)
    source.snapshot = replace(
        source.snapshot,
        models=source.snapshot.models + models,
        versions=source.snapshot.versions + versions,
    )
    return source


def run_together(writers: dict[str, Callable[[], object]]) -> dict[str, BaseException]:
    """Start every writer at one moment; return the errors by writer; fail on a hang or when
    the writers did not in fact run at the same time."""
    barrier = threading.Barrier(len(writers))
    errors: dict[str, BaseException] = {}
    spans: dict[str, tuple[float, float]] = {}

    def run(name: str, write: Callable[[], object]) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            write()
        except BaseException as exc:  # reported by the test below
            errors[name] = exc
        finally:
            spans[name] = (started, time.perf_counter())

    threads = [
        threading.Thread(target=run, args=item, name=item[0], daemon=True)
        for item in writers.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS)
    hanging = [thread.name for thread in threads if thread.is_alive()]
    assert not hanging, f"still running after {DEADLINE_SECONDS} s (deadlock?): {hanging}"
    last_start = max(start for start, _ in spans.values())
    first_end = min(end for _, end in spans.values())
    assert last_start < first_end, f"the writers ran one after another: {spans}"
    return errors


def test_simultaneous_writers_lose_nothing_and_each_is_audited(settings, filled_store):
    store = filled_store
    value = ValueService(store, settings)
    feedback = FeedbackService(store, settings)
    periods = [f"{2024 + n // 12}-{n % 12 + 1:02d}" for n in range(KPI_MONTHS)]
    kpi_rows = [("customer-churn", "customers kept", p, 300 + n) for n, p in enumerate(periods)]
    sync_results = []

    def sync() -> None:
        sync_results.append(
            sync_mlflow(
                store,
                grown_registry(),
                source_uri="fake://registry",
                alias_precedence=("champion", "production"),
                trigger="schedule",
            )
        )

    def load_kpis() -> None:
        outcome = value.load_kpis(ADMIN, kpi_file(kpi_rows), "kpis.csv", "upload")
        assert outcome.loaded, outcome.rejects

    def save_benchmarks() -> None:
        for n in range(BENCHMARKS):
            value.set_benchmark(
                OWNER, "customer-churn", promise(RETENTION_RATE, target=75.0 + n / 10)
            )

    def submit(who: int) -> Callable[[], None]:
        def run() -> None:
            for n in range(SUBMISSIONS_EACH):
                draft = replace(DRAFT, case_reference=f"C-{who}-{n}")
                feedback.submit(EXPERT, "customer-churn", draft, f"key-{who}-{n}")

        return run

    errors = run_together(
        {
            "sync": sync,
            "kpi load": load_kpis,
            "benchmarks": save_benchmarks,
            **{f"feedback {who}": submit(who) for who in range(SUBMITTERS)},
        }
    )

    assert errors == {}
    [result] = sync_results
    assert result.ok, result.error
    names = {row["name"] for row in CatalogRepository(store).inventory()}
    assert {f"batch-model-{n:03d}" for n in range(NEW_MODELS)} <= names
    assert "customer-churn" in names

    audit = AuditRepository(store)

    def audited(action: str) -> list[str]:
        return [entry["entity_id"] for entry in audit.entries(AuditFilter(action=action))]

    submissions = SUBMITTERS * SUBMISSIONS_EACH
    stored = feedback.for_model("customer-churn")
    assert sorted(item.case_reference for item in stored) == sorted(
        f"C-{who}-{n}" for who in range(SUBMITTERS) for n in range(SUBMISSIONS_EACH)
    )
    assert sorted(audited("feedback.submitted")) == sorted(item.reference for item in stored)
    assert len(stored) == submissions

    history = value.benchmark_history("customer-churn")
    assert [row["version"] for row in history] == list(range(1, BENCHMARKS + 1))
    assert [row["target"] for row in history] == [75.0 + n / 10 for n in range(BENCHMARKS)]
    assert len(audited("benchmark.set")) == BENCHMARKS

    assert len(audited("kpis.loaded")) == 1
    observed = store.fetch_value(
        "test_kpi_rows",
        "SELECT count(*) FROM kpi_observations WHERE model_name = 'customer-churn'"
        " AND kpi = 'customers kept'",
    )
    assert observed == KPI_MONTHS
