"""The estimation repository on a real DuckDB store: replace, read back, and the decay signals
the service derives from the production versions' estimates in one read."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.estimation import EstimationService, decay_signals
from portal.store.database import Store
from portal.store.estimation_repo import EstimationRepository
from tests.domain.test_estimation import MONDAY, week

COMPUTED = datetime(2026, 3, 2, 6, 0)


def dropping(reference: float = 0.86) -> list:
    """Two measured weeks like training, then two estimated 10 % and 14 % lower."""
    return [
        week(0, 0.86, 0.85, reference=reference),
        week(1, 0.85, 0.86, reference=reference),
        week(2, 0.774, reference=reference),
        week(3, 0.74, reference=reference),
        week(0, 0.77, 0.76, metric="accuracy", reference=0.76),
        week(3, 0.75, metric="accuracy", reference=0.76),
    ]


def service(store: Store, settings) -> EstimationService:
    return EstimationService(Runtime(settings, store, Scheduler(lambda request: None, 60)))


def test_replace_stores_the_estimates_and_reads_them_back_in_order(filled_store: Store, settings):
    repo = EstimationRepository(filled_store)
    assert repo.of_model("customer-churn") is None  # not estimated yet
    version = filled_store.data_version()
    repo.replace("customer-churn", 2, list(reversed(dropping())), COMPUTED)
    assert filled_store.data_version() == version + 1
    run, rows = repo.of_model("customer-churn")
    assert len(rows) == 6 and run["reason"] == ""
    found = service(filled_store, settings).of_model("customer-churn")
    assert (found.model_name, found.model_version, found.computed_at, found.reason) == (
        "customer-churn",
        2,
        COMPUTED,
        "",
    )
    assert found.metrics == ("roc_auc", "accuracy")
    assert found.estimates == tuple(sorted(dropping(), key=lambda e: (e.metric, e.window_start)))
    auc = found.weeks_of("roc_auc")
    assert [w.window_start for w in auc] == [MONDAY + timedelta(weeks=i) for i in range(4)]
    assert auc[2].lower == pytest.approx(0.754) and auc[2].realized is None


def test_a_new_job_replaces_the_estimates_and_keeps_why_none_were_made(filled_store, settings):
    repo = EstimationRepository(filled_store)
    read = service(filled_store, settings)
    repo.replace("customer-churn", 2, dropping(), COMPUTED)
    repo.replace("house-prices", 1, dropping(), COMPUTED)
    later = COMPUTED + timedelta(days=1)
    repo.replace("customer-churn", 2, (), later, reason="labels_complete")
    found = read.of_model("customer-churn")
    assert (found.estimates, found.reason, found.computed_at) == ((), "labels_complete", later)
    # Another model's estimates stay.
    assert len(read.of_model("house-prices").estimates) == 6


def test_a_failed_write_changes_nothing(filled_store: Store):
    repo = EstimationRepository(filled_store)
    repo.replace("customer-churn", 2, dropping(), COMPUTED)
    twice = [week(0, 0.8), week(0, 0.7)]  # the same week twice breaks the primary key
    with pytest.raises(Exception, match=r"(?i)constraint|duplicate"):
        repo.replace("customer-churn", 2, twice, COMPUTED + timedelta(days=1))
    run, rows = repo.of_model("customer-churn")
    assert (len(rows), run["computed_at"]) == (6, COMPUTED)


def test_decay_signals_count_production_versions_only(filled_store: Store):
    repo = EstimationRepository(filled_store)
    repo.replace("customer-churn", 2, dropping(), COMPUTED)  # production: v2
    repo.replace("house-prices", 7, dropping(), COMPUTED)  # an estimate of another version
    steady = [week(0, 0.86, 0.85), week(1, 0.85)]
    repo.replace("Kündigung Geschäftskunden", 1, steady, COMPUTED)
    [signal] = decay_signals(filled_store)
    assert (signal.model_name, signal.reason, signal.detail) == (
        "customer-churn",
        "estimated_drop",
        "roc_auc",
    )
    assert signal.since == MONDAY + timedelta(weeks=2)
    assert signal.value == pytest.approx((0.86 - 0.74) / 0.86)
    # Once the production version changes, the old version's drop is no longer a signal.
    with filled_store.transaction() as tx:
        tx.execute(
            "UPDATE registered_models SET production_version = 1 WHERE name = 'customer-churn'"
        )
    assert decay_signals(filled_store) == []
