"""Costs through the services against a real store: the cost KPI is cost, not value; owners
enter running and development costs through the same checks; viewers are refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.errors import InvalidInput, NotAllowed
from portal.services.costs import CostService
from portal.services.value import ValueService
from portal.store.audit_repo import AuditFilter, AuditRepository
from tests.support.builders import ADMIN, CUSTOMERS_KEPT, OWNER, VIEWER, kpi_file, promise

MODEL = "customer-churn"
AT = datetime(2026, 11, 3, 9, 0)
FIRST, LAST = date(2026, 7, 1), date(2026, 9, 1)
BO = "sophie.wagner@example.com"


@pytest.fixture
def value(settings, filled_store):
    return ValueService(filled_store, settings)


@pytest.fixture
def costs(settings, filled_store):
    return CostService(filled_store, settings)


def _use_case(store, key: str, budget: float | None, model: str | None = None) -> int:
    with store.transaction() as tx:
        case_id = tx.fetch_value(
            "INSERT INTO use_cases (key, title, question, status, business_owner, budget,"
            " proposed_by, proposed_at, updated_by, updated_at) VALUES ($key, $key, 'Why?',"
            " 'in_production', $bo, $budget, $bo, $at, $bo, $at) RETURNING id",
            {"key": key, "bo": BO, "budget": budget, "at": AT},
        )
        if model:
            tx.execute(
                "INSERT INTO use_case_models VALUES ($model, $id, $bo, $at)",
                {"model": model, "id": case_id, "bo": BO, "at": AT},
            )
    return case_id


def _load(value: ValueService, rows) -> None:
    outcome = value.load_kpis(ADMIN, kpi_file(rows), "k.csv", "upload", now=AT)
    assert outcome.loaded, outcome.rejects


def test_the_cost_kpi_counts_against_the_value_never_as_a_value_kpi(value, costs):
    value.set_benchmark(OWNER, MODEL, CUSTOMERS_KEPT, now=AT)
    months = ("2026-07", "2026-08", "2026-09")
    _load(value, [(MODEL, "customers kept", m, 370) for m in months])
    _load(value, [(MODEL, "running_cost", m, 4_000) for m in months])
    portfolio = value.portfolio(FIRST, LAST)
    assert {row.kpi for row in portfolio.rows} == {"customers kept"}
    returns = costs.returns(portfolio)
    churn = returns.of(MODEL)
    assert churn.realized == 3 * 370 * 50 and churn.running_cost == 12_000
    assert churn.running.per_month == 4_000 and churn.net == 55_500 - 12_000
    assert returns.roi == pytest.approx(43_500 / 12_000)
    # A benchmark on the cost KPI would make cost a value: it is refused with its field.
    with pytest.raises(InvalidInput) as refused:
        value.set_benchmark(OWNER, MODEL, promise(kpi="running_cost"), now=AT)
    assert ("kpi", "cost_kpi") in [(p.field, p.code) for p in refused.value.problems]


def test_a_cost_row_with_a_bad_value_rejects_the_whole_file_with_its_line(value, costs):
    rows = [(MODEL, "running_cost", "2026-07", 4_000), (MODEL, "running_cost", "2026-08", "lots")]
    outcome = value.load_kpis(ADMIN, kpi_file(rows), "costs.csv", "upload", now=AT)
    assert not outcome.loaded
    assert [(r.line, r.column, r.code) for r in outcome.rejects] == [(3, "value", "not_a_number")]
    assert costs.running_cost_months(MODEL) == ()


def test_an_owner_enters_a_months_running_cost_through_the_kpi_checks(costs, filled_store):
    costs.set_running_cost(OWNER, MODEL, date(2026, 9, 1), 4_250.0, now=AT)
    costs.set_running_cost(OWNER, MODEL, date(2026, 9, 1), 4_300.0, now=AT)  # a correction
    assert [(c.month, c.amount) for c in costs.running_cost_months(MODEL)] == [
        (date(2026, 9, 1), 4_300.0)
    ]
    entries = AuditRepository(filled_store).entries(AuditFilter(action="cost.set"))
    assert [e["model_name"] for e in entries] == [MODEL, MODEL]
    with pytest.raises(InvalidInput) as bad:
        costs.set_running_cost(OWNER, MODEL, None, -5.0, now=AT)
    assert [(p.field, p.code) for p in bad.value.problems] == [
        ("month", "required"),
        ("amount", "cost_negative"),
    ]
    with pytest.raises(NotAllowed):
        costs.set_running_cost(VIEWER, MODEL, date(2026, 9, 1), 1.0, now=AT)
    with pytest.raises(NotAllowed):  # owns customer-churn, not this one
        costs.set_running_cost(OWNER, "house-prices", date(2026, 9, 1), 1.0, now=AT)
    assert [c.amount for c in costs.running_cost_months(MODEL)] == [4_300.0]
    assert costs.may_set_running_cost(OWNER, MODEL) and not costs.may_set_running_cost(
        VIEWER, MODEL
    )


def test_use_case_owners_enter_development_cost_against_the_budget(costs, value, filled_store):
    from tests.support.builders import person

    _use_case(filled_store, "retention", 20_000.0, MODEL)
    owner = person("Sophie Wagner", BO)
    costs.set_development_cost(owner, "retention", date(2026, 6, 1), 15_000.0, "Build", now=AT)
    costs.set_development_cost(owner, "RETENTION", date(2026, 8, 1), 8_000.0, now=AT)
    months = costs.development_cost_months("retention")
    assert [(m.month, m.amount, m.note) for m in months] == [
        (date(2026, 8, 1), 8_000.0, ""),
        (date(2026, 6, 1), 15_000.0, "Build"),
    ]
    returns = costs.returns(value.portfolio(FIRST, LAST))
    (case,) = returns.use_cases
    assert case.costs.spent_in_period == 8_000 and case.costs.spent_total == 23_000
    assert case.costs.budget == 20_000 and case.costs.models == (MODEL,)
    assert returns.development_cost == 8_000
    audit = AuditRepository(filled_store).entries(AuditFilter(action="cost.set"))
    assert {e["entity_id"] for e in audit} == {"retention/2026-06", "retention/2026-08"}
    with pytest.raises(NotAllowed):
        costs.set_development_cost(VIEWER, "retention", date(2026, 9, 1), 1.0, now=AT)
    with pytest.raises(NotAllowed):  # owns a model, not this use case
        costs.set_development_cost(OWNER, "retention", date(2026, 9, 1), 1.0, now=AT)
    with pytest.raises(InvalidInput):
        costs.set_development_cost(owner, "retention", date(2026, 9, 1), float("inf"), now=AT)
    with pytest.raises(InvalidInput):
        costs.set_development_cost(owner, "no-such-case", date(2026, 9, 1), 1.0, now=AT)
    assert len(costs.development_cost_months("retention")) == 2
    assert costs.may_set_development_cost(owner, "retention")
    assert not costs.may_set_development_cost(VIEWER, "retention")
