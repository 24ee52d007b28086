"""The business value page and the benchmark form, in AppTest, over a real store."""

from __future__ import annotations

import pytest

from portal import clock
from portal.domain.value import months_between, period_months
from portal.services.identity import LOCAL_USER
from portal.ui import data
from portal.ui.navigation import MODEL_CARD, VALUE
from tests.pages.test_pages import open_page, texts
from tests.support.builders import observe, promise


@pytest.fixture
def with_value(app_runtime):
    """customer-churn promised 370 kept customers a month (50 EUR each); two of the last three
    months observed: 312 and 350."""
    first, last = period_months("quarter", clock.today(), None)
    months = months_between(first, last)
    service = data.value_service()
    service.set_benchmark(LOCAL_USER, "customer-churn", promise(valid_from=months[0]))
    observe(
        service.store,
        [
            ("customer-churn", "customers kept", months[0], "", 312.0),
            ("customer-churn", "customers kept", months[2], "", 350.0),
        ],
    )
    return months


def test_value_page_shows_money_sentences_and_the_table(with_value):
    app = open_page(VALUE)
    shown = {metric.label: metric.value for metric in app.metric}
    # 662 kept of 740 promised in the months with data, at 50 EUR each.
    assert shown["Value realized"] == "33,100 EUR"
    assert shown["Value promised"] == "37,000 EUR"
    assert shown["Models off track"] == "0"
    sentences = texts(app).replace("\\", "")
    assert "customer-churn: customers kept 662 customers higher than without the model" in sentences
    assert "89 % of the promised 740 customers." in sentences
    assert "1 month(s) without data." in sentences
    table = app.dataframe[0].value
    assert list(table["status"]) == ["at risk"]
    assert list(table["attainment"]) == [89]
    # The money of the period, realized and promised, as numbers the grid sorts.
    assert list(table["realized"]) == [33100]
    assert list(table["promised"]) == [37000]


def test_value_page_in_german_and_empty_filter(with_value):
    app = open_page(VALUE, language="de")
    assert {m.label: m.value for m in app.metric}["Erreichter Wert"] == "33.100 EUR"
    app.multiselect(key="value.units").select("Business").run()
    assert "Noch kein Modell hat einen Richtwert" in texts(app)


def test_owner_sets_a_benchmark_on_the_card(app_runtime):
    app = open_page(MODEL_CARD, model="house-prices")
    form_inputs = {widget.label: widget for widget in app.text_input}
    form_inputs["KPI (e.g. customers kept per month)"].input("valuation days")
    numbers = {widget.label: widget for widget in app.number_input}
    numbers["Baseline: the level without the model"].set_value(12.0)
    numbers["Target: the level promised with the model"].set_value(5.0)
    next(box for box in app.selectbox if box.label == "What is better?").set_value("lower")
    next(area for area in app.text_area if area.label.startswith("Why this promise")).input(
        "Manual valuation took 12 days."
    )
    next(button for button in app.button if button.label == "Save benchmark").click().run()
    assert not app.exception
    assert "Benchmark saved as version 1." in texts(app)
    [row] = data.value_service().benchmark_history("house-prices")
    assert (row["baseline"], row["target"], row["direction"]) == (12.0, 5.0, "lower")
