"""Benchmarks and KPI loads through the value service, against a real store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.value import ValueService, changes_between
from portal.store.audit_repo import AuditFilter, AuditRepository
from tests.support.builders import CUSTOMERS_KEPT, EXPERT, OWNER, RETENTION_RATE, observe, promise


@pytest.fixture
def service(settings, filled_store):
    return ValueService(filled_store, settings)


def test_owner_sets_and_revises_a_promise_and_both_versions_stay(service):
    assert (
        service.set_benchmark(OWNER, "customer-churn", RETENTION_RATE, now=datetime(2026, 1, 10, 9))
        == 1
    )
    lowered = promise(
        RETENTION_RATE, target=73.0, rationale="Market got harder.", valid_from=date(2026, 3, 2)
    )
    assert service.set_benchmark(OWNER, "customer-churn", lowered, now=datetime(2026, 3, 2, 9)) == 2
    first, second = service.benchmark_history("customer-churn")
    assert (first["target"], second["target"]) == (75.0, 73.0)
    assert (first["valid_from"], second["valid_from"]) == (date(2026, 1, 1), date(2026, 3, 1))
    assert [(c.field, c.before, c.after) for c in changes_between(first, second)] == [
        ("target", 75.0, 73.0)
    ]
    entries = AuditRepository(service.store).entries(AuditFilter(action="benchmark.set"))
    assert [e["entity_id"] for e in entries] == [
        "customer-churn/retention rate/v2",
        "customer-churn/retention rate/v1",
    ]
    assert '"target": 75.0' in entries[0]["before_json"]


def test_refused_invalid_and_unknown_change_nothing(service):
    with pytest.raises(NotAllowed):
        service.set_benchmark(EXPERT, "customer-churn", RETENTION_RATE)
    with pytest.raises(InvalidInput):
        service.set_benchmark(OWNER, "customer-churn", promise(RETENTION_RATE, rationale=""))
    with pytest.raises(UnknownModel):
        service.set_benchmark(OWNER, "no such model", RETENTION_RATE)
    assert service.benchmark_history("customer-churn") == []
    assert AuditRepository(service.store).entries(AuditFilter()) == []


def test_portfolio_over_a_quarter_with_a_gap_and_money(service):
    service.set_benchmark(OWNER, "customer-churn", CUSTOMERS_KEPT)
    observe(
        service.store,
        [
            ("customer-churn", "customers kept", date(2026, 8, 1), "", 312.0),
            # September is missing on purpose.
            ("customer-churn", "customers kept", date(2026, 10, 1), "", 350.0),
            ("customer-churn", "customers kept", date(2026, 10, 1), "north", 100.0),
        ],
    )
    portfolio = service.portfolio(date(2026, 8, 1), date(2026, 10, 1))
    [row] = portfolio.rows
    # 312 + 350 = 662 kept of 2 x 370 = 740 promised (the gap counts on neither side).
    assert (row.summary.realized_uplift, row.summary.promised_uplift) == (662.0, 740.0)
    assert row.summary.months_missing == 1
    assert row.trend == (312.0, None, 350.0)
    assert row.business_process == "Customer retention"
    assert (portfolio.realized_money, portfolio.promised_money) == (662 * 50, 740 * 50)
    assert portfolio.off_track_models == ()
    assert service.portfolio(date(2026, 8, 1), date(2026, 10, 1), units=["Retail"]).rows == ()
    assert service.earliest_observation() == date(2026, 8, 1)
