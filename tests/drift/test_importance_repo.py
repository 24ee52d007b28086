"""Stored input importance on a real DuckDB file: one version at a time, failures, and the one
read of every production version's shares."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from portal.domain.importance import rank_importance
from portal.services.importance import ImportanceService
from portal.store import open_store
from portal.store.importance_repo import ImportanceRepository

AT = datetime(2026, 3, 2, 6, 0)
CHURN = rank_importance(
    [("tenure", 0.12, 0.01), ("monthly_charges", 0.06, 0.02), ("contract", -0.01, 0.005)], "label"
)


@pytest.fixture
def repo(filled_store) -> ImportanceRepository:
    """customer-churn v2, house-prices v1 and the German model v1 are in production."""
    return ImportanceRepository(filled_store)


def test_saved_importance_reads_back_by_rank_and_survives_reopening(repo, settings):
    before = repo.store.data_version()
    repo.save("customer-churn", 2, CHURN, AT)
    assert repo.store.data_version() == before + 1  # one write, one bump
    repo.store.close()
    reopened = ImportanceRepository(open_store(settings.store_path))
    assert reopened.shares("customer-churn", 2) == pytest.approx(
        {"tenure": 2 / 3, "monthly_charges": 1 / 3, "contract": 0.0}
    )
    (stored,) = ImportanceService(reopened.store).of_model("customer-churn")
    assert (stored.model_version, stored.outcome, stored.basis, stored.computed_at) == (
        2,
        "computed",
        "label",
        AT,
    )
    assert stored.inputs == CHURN
    reopened.store.close()


def test_a_failed_version_is_known_as_tried_with_nothing_to_weigh(repo):
    assert repo.shares("customer-churn", 2) is None  # not tried: the job computes it
    reason = "model customer-churn version 2 is saved with pickle"
    repo.save("customer-churn", 2, (), AT, failure=reason)
    assert repo.shares("customer-churn", 2) == {}  # tried: not again for this version
    (stored,) = ImportanceService(repo.store).of_model("customer-churn")
    assert (stored.outcome, stored.detail, stored.inputs) == (
        "failed",
        reason,
        (),
    )
    assert repo.production_shares() == {"customer-churn": {}}


def test_a_success_replaces_a_failure_and_a_new_run_replaces_old_rows(repo):
    repo.save("customer-churn", 2, (), AT, failure="MLflow could not be reached")
    repo.save("customer-churn", 2, CHURN, AT + timedelta(days=1))
    fewer = rank_importance([("tenure", 0.2, 0.0)], "predictions")
    repo.save("customer-churn", 2, fewer, AT + timedelta(days=2))
    (stored,) = ImportanceService(repo.store).of_model("customer-churn")
    assert (stored.outcome, stored.detail, stored.basis) == ("computed", "", "predictions")
    assert repo.shares("customer-churn", 2) == {"tenure": 1.0}


def test_production_shares_reads_only_production_versions_in_one_read(repo):
    repo.save("customer-churn", 1, rank_importance([("tenure", 1.0, 0.0)], "label"), AT)
    repo.save("customer-churn", 2, CHURN, AT)
    repo.save("house-prices", 1, rank_importance([("area", 0.3, 0.0)], "label"), AT)
    repo.save("bare model", 1, rank_importance([("x", 0.3, 0.0)], "label"), AT)  # none in prod
    repo.save("Kündigung Geschäftskunden", 1, (), AT, failure="no reference")
    found = repo.production_shares()
    assert {
        name: {k: round(v, 4) for k, v in shares.items()} for name, shares in found.items()
    } == {
        "customer-churn": {"tenure": 0.6667, "monthly_charges": 0.3333, "contract": 0.0},
        "house-prices": {"area": 1.0},
        "Kündigung Geschäftskunden": {},
    }
    versions = [
        item.model_version for item in ImportanceService(repo.store).of_model("customer-churn")
    ]
    assert versions == [2, 1]  # newest version first


def test_names_are_parameters_not_sql(repo):
    odd = "x' OR '1'='1"
    repo.save(odd, 1, rank_importance([("a; DROP TABLE input_importance", 1.0, 0.0)], "label"), AT)
    assert repo.shares(odd, 1) == {"a; DROP TABLE input_importance": 1.0}
    assert repo.shares("customer-churn", 1) is None
