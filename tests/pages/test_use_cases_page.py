"""The use cases page in AppTest over a real store: list, detail, German, the propose form."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime

import pytest

from portal.runtime import current_runtime
from portal.services.identity import LOCAL_USER
from portal.services.use_cases import UseCaseService
from portal.ui.navigation import INVENTORY, MODEL_CARD, OVERVIEW, USE_CASES
from tests.lifecycle.use_cases_support import RETENTION
from tests.pages.test_german_only import english_in, shown_texts
from tests.pages.test_pages import open_page, texts
from tests.support.builders import promise

AT = datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def with_use_cases(app_runtime):
    """Two use cases: customer-retention, approved, served by customer-churn with a promise;
    invoice-fraud, approved, no model."""
    runtime = current_runtime()
    service = UseCaseService(runtime.store, runtime.settings)
    service.propose(LOCAL_USER, RETENTION, now=AT)
    fraud = replace(RETENTION, key="invoice-fraud", title="Flag fraudulent invoices", metrics=())
    service.propose(LOCAL_USER, fraud, now=AT)
    with runtime.store.transaction() as tx:
        for key in ("customer-retention", "invoice-fraud"):
            service.use_cases.set_status_in(tx, service.get(key).id, "approved", "x", AT)
        tx.bump_data_version()
    service.link_model(LOCAL_USER, "customer-retention", "customer-churn", now=AT)
    service.set_benchmark(
        LOCAL_USER, "customer-retention", promise(rationale="Pilot: 370."), now=AT
    )
    return service


def test_the_list_shows_the_pipeline_the_waiting_use_case_and_the_table(with_use_cases):
    app = open_page(USE_CASES)
    counts = {metric.label: metric.value for metric in app.metric}
    assert counts == {
        "Proposed": "0",
        "Approved": "2",
        "In development": "0",
        "In production": "0",
        "Retired": "0",
    }
    table = app.dataframe[0].value
    assert list(table["title"]) == ["Call customers before they cancel", "Flag fraudulent invoices"]
    assert list(table["models"]) == ["customer-churn", ""]
    assert list(table["owner"]) == ["bob.business@example.com"] * 2  # not in the directory
    assert list(table["expected"]) == ["18,500", "–"]  # 80 more kept at 50 EUR
    assert "Approved, no model yet" in texts(app)
    app.text_input(key="use_cases.search").input("fraud").run()
    assert list(app.dataframe[0].value["title"]) == ["Flag fraudulent invoices"]


def test_the_detail_shows_question_metrics_models_and_promise(with_use_cases):
    app = open_page(USE_CASES, use_case="Customer-Retention")
    shown = texts(app).replace("\\", "")
    assert app.title[0].value == "Call customers before they cancel"
    assert "Which customers are about to cancel?" in shown
    assert "roc_auc at least 0.8 (model metric)" in shown
    assert "customers kept, version 1" in "".join(t.value for t in app.text)
    assert [b.label for b in app.button if b.label.startswith("Move")] == [
        "Move to: In development",
        "Move to: Retired",
    ]
    # customer-churn has no benchmark of its own: the promise can be taken over.
    labels = [b.label.replace("\\", "") for b in app.button]
    assert "Use this promise for customer-churn (customers kept)" in labels
    app.button(key="use_cases.move.in_development").click().run()
    assert not app.exception, app.exception
    assert "The use case is now: In development." in texts(app)
    assert with_use_cases.get("customer-retention").status == "in_development"


def test_german_detail_list_and_unknown_key(with_use_cases):
    app = open_page(USE_CASES, language="de")
    assert {m.label for m in app.metric} >= {"Vorgeschlagen", "Freigegeben", "Im Betrieb"}
    assert "Freigegeben, noch kein Modell" in texts(app)
    detail = open_page(USE_CASES, language="de", use_case="invoice-fraud")
    assert "Diesem Anwendungsfall dient noch kein Modell." in texts(detail)
    assert "Weiter zu: In Entwicklung" in [b.label for b in detail.button]
    unknown = open_page(USE_CASES, language="de", use_case="nothing-here")
    assert "Es gibt keinen Anwendungsfall mit dem Kurznamen „nothing-here“." in texts(
        unknown
    ).replace("\\", "")


def test_proposing_with_a_bad_key_says_so_and_keeps_the_input(with_use_cases):
    app = open_page(USE_CASES)
    app.text_input(key="use_case_form.new.key").input("Bad key!")
    app.text_input(key="use_case_form.new.title").input("Route claims")
    app.text_area(key="use_case_form.new.question").input("Which team handles a claim?")
    app.button[-1].click().run()  # the form's submit button, last on the page
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors == [
        "Short name (key): please use letters and digits, words joined by hyphens"
        " (e.g. invoice-fraud)."
    ]
    assert app.text_input(key="use_case_form.new.title").value == "Route claims"
    assert with_use_cases.get("Bad key!") is None
    app.text_input(key="use_case_form.new.key").input("claims-triage")
    app.button[-1].click().run()
    assert with_use_cases.get("claims-triage").status == "proposed"
    assert app.query_params["use_case"] == "claims-triage"


def test_overview_inventory_and_card_show_the_pipeline_and_the_use_case(with_use_cases):
    overview = open_page(OVERVIEW)
    links = [link.label for link in overview.get("page_link")]
    assert "Approved: 2" in links
    assert "Approved, but no model yet: 1" in links  # the other has a model
    inventory = open_page(INVENTORY)
    assert "Approved: 2" in [link.label for link in inventory.get("page_link")]
    card = open_page(MODEL_CARD, model="customer-churn")
    labels = [link.label.replace("\\", "") for link in card.get("page_link")]
    assert "Serves the use case “Call customers before they cancel”" in labels
    other = open_page(MODEL_CARD, model="house-prices")
    assert "Serves no documented use case." in texts(other)


@pytest.mark.parametrize("count", [1_000])
def test_a_thousand_use_cases_list_in_one_table_in_reasonable_time(app_runtime, count):
    store = current_runtime().store
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO use_cases (key, title, question, business_process, status,"
            " proposed_by, proposed_at, updated_by, updated_at)"
            " SELECT 'case-' || i, 'Use case ' || lpad(i::VARCHAR, 4, '0'), 'Why?',"
            " 'Process ' || (i % 20), ['proposed', 'approved', 'in_production'][i % 3 + 1],"
            " 'a@example.com', $at, 'a@example.com', $at FROM range($n) t(i)",
            {"at": AT, "n": count},
        )
        tx.bump_data_version()
    started = time.perf_counter()
    app = open_page(USE_CASES)
    first = time.perf_counter() - started
    assert len(app.dataframe[0].value) == count
    assert not app.expander or len(app.expander) < 5  # one table, not an expander per row
    assert "Showing 1000 of 1000 use cases." in texts(app)
    app.multiselect(key="use_cases.statuses").select("In production").run()
    assert len(app.dataframe[0].value) == count // 3
    assert first < 20, first


@pytest.mark.parametrize("query", [{}, {"use_case": "customer-retention"}, {"use_case": "x"}])
def test_the_pages_in_german_show_no_english(with_use_cases, query):
    app = open_page(USE_CASES, language="de", **query)
    assert english_in(shown_texts(app)) == []
