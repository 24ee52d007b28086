"""Net value and return on investment on the value page, the overview and the model card."""

from __future__ import annotations

import pytest

from portal import clock
from portal.domain.value import months_between, period_months
from portal.services.identity import LOCAL_USER
from portal.ui import cost_sections, data
from portal.ui.navigation import MODEL_CARD, OVERVIEW, VALUE
from tests.pages.test_pages import open_page, texts
from tests.support.builders import OWNER, observe, promise


@pytest.fixture
def with_cost(app_runtime):
    """customer-churn realized 33,100 EUR in the quarter and cost 15,000 EUR a month to run."""
    first, last = period_months("quarter", clock.today(), None)
    months = months_between(first, last)
    service = data.value_service()
    service.set_benchmark(LOCAL_USER, "customer-churn", promise(valid_from=months[0]))
    observe(
        service.store,
        [
            ("customer-churn", "customers kept", months[0], "", 312.0),
            ("customer-churn", "customers kept", months[2], "", 350.0),
            *(("customer-churn", "running_cost", month, "", 15_000.0) for month in months),
        ],
    )
    return months


def test_value_page_shows_net_value_roi_and_the_model_costing_more(with_cost):
    app = open_page(VALUE)
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Value realized"] == "33,100 EUR"  # the cost KPI is not a value KPI
    assert shown["Cost"] == "45,000 EUR"
    assert shown["Net value"] == "-11,900 EUR"
    assert shown["Return on investment (ROI)"] == "-26 %"
    sentences = texts(app).replace("\\", "")
    assert "customer-churn cost 45,000 EUR to run in" in sentences
    assert "and brought 33,100 EUR: 11,900 EUR less than it cost." in sentences
    table = app.dataframe[0].value
    assert list(table["kpi"]) == ["customers kept (customers)"]
    assert list(table["net"]) == [-11900] and list(table["roi"]) == [-26]


def test_value_page_in_german(with_cost):
    app = open_page(VALUE, language="de")
    shown = {metric.label: metric.value for metric in app.metric}
    assert shown["Nettowert"] == "-11.900 EUR"
    assert shown["Kapitalrendite (ROI)"] == "-26 %"
    assert "weniger, als es gekostet hat" in texts(app)


def test_overview_shows_the_net_value_of_the_quarter(with_cost):
    app = open_page(OVERVIEW)
    assert {m.label: m.value for m in app.metric}["Net value in the last 3 months"] == "-11,900 EUR"


def test_card_shows_the_models_running_cost_and_net_value(with_cost):
    app = open_page(MODEL_CARD, model="customer-churn")
    shown = texts(app).replace("\\", "")
    assert "Running cost: 15,000 EUR a month on average, over 3 of the last 3 months." in shown
    assert "Net value in the last 3 months: -11,900 EUR" in shown
    assert "This model costs more than it brings: 11,900 EUR more" in shown


def test_an_owner_enters_a_running_cost_on_the_card(signed_in, app_runtime):
    signed_in(OWNER)
    app = open_page(MODEL_CARD, model="customer-churn")
    assert "No running cost has been entered for the last 3 months" in texts(app)
    key = "costs.running.customer-churn"
    next(b for b in app.button if b.label == "Save the cost").click().run()  # no amount
    assert "Amount: please fill this in." in [e.value for e in app.error]
    assert cost_sections.cost_service().running_cost_months("customer-churn") == ()
    app.number_input(key=f"{key}.amount").set_value(4_200.0)
    next(b for b in app.button if b.label == "Save the cost").click().run()
    assert not app.exception
    shown = texts(app)
    assert "is saved." in shown
    assert "Running cost: 4,200 EUR a month on average, over 1 of the last 3 months." in shown


def test_use_case_shows_budget_against_spent_over_budget_in_words(signed_in, app_runtime):
    from datetime import date, datetime

    from portal.ui.navigation import USE_CASES
    from tests.support.builders import VIEWER, person

    at, owner = datetime(2026, 6, 1, 9), "sophie.wagner@example.com"
    store = cost_sections.cost_service().store
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO use_cases (key, title, question, status, business_owner, budget,"
            " proposed_by, proposed_at, updated_by, updated_at) VALUES ('retention', 'Keep them',"
            " 'Who leaves?', 'in_development', $bo, 20000, $bo, $at, $bo, $at)",
            {"bo": owner, "at": at},
        )
    costs = cost_sections.cost_service()
    sophie = person("Sophie Wagner", owner)
    costs.set_development_cost(sophie, "retention", date(2026, 5, 1), 15_000.0, now=at)
    costs.set_development_cost(sophie, "retention", date(2026, 6, 1), 8_000.0, now=at)
    signed_in(VIEWER)
    app = open_page(USE_CASES, use_case="retention")
    shown = texts(app).replace("\\", "")
    assert "Over budget: 23,000 EUR spent of a budget of 20,000 EUR, 3,000 EUR more" in shown
    assert "Enter a month's development cost" not in [e.label for e in app.expander]
    german = open_page(USE_CASES, use_case="retention", language="de")
    assert "Budget überschritten: 23.000 EUR ausgegeben" in texts(german).replace("\\", "")
