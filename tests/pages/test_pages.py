"""Every page rendered by Streamlit's AppTest over a store filled by a real sync."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from portal.ui.navigation import DATA_STATUS, INVENTORY, MODEL_CARD, OVERVIEW, PortalPage
from tests.support.apptest import open_app


def open_page(page: PortalPage = OVERVIEW, language: str = "en", **query: str) -> AppTest:
    """A page rendered through the router, failing the test on any exception."""
    app = open_app(page, language, **query)
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    parts = [
        element.value
        for kind in (
            "markdown",
            "caption",
            "title",
            "subheader",
            "info",
            "warning",
            "success",
            "error",
        )
        for element in getattr(app, kind)
    ]
    return "\n".join(str(part) for part in parts)


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_overview_shows_real_counts(app_runtime):
    app = open_page()
    assert app.title[0].value == "Overview"
    shown = metrics(app)
    assert shown["Registered models"] == "4"
    assert shown["In production"] == "3"
    assert shown["Documentation gaps"] == "3"
    processes, units = (frame.value for frame in app.dataframe)
    assert set(units["Business unit"]) == {"Consumer sales", "Business", "not documented"}
    assert set(processes["Business process"]) == {
        "Customer retention",
        "Mortgage valuation",
        "not documented",
    }
    assert "Demo data" in texts(app)


def test_overview_in_german(app_runtime):
    app = open_page(language="de")
    assert app.title[0].value == "Überblick"
    assert metrics(app)["Registrierte Modelle"] == "4"


def test_inventory_lists_filters_and_searches(app_runtime):
    app = open_page(INVENTORY)
    table = app.dataframe[0].value
    assert list(table["name"]) == [
        "bare model",
        "customer-churn",
        "house-prices",
        "Kündigung Geschäftskunden",
    ]
    churn = table[table["name"] == "customer-churn"].iloc[0]
    assert churn["production"] == "Version 2"
    assert churn["docs"] == 100
    assert churn["owner"] == "anna.schmidt@example.com"
    bare = table[table["name"] == "bare model"].iloc[0]
    assert (bare["purpose"], bare["production"], bare["docs"]) == ("not documented", "none", 0)

    app.text_input(key="inventory.search").input("ANNA").run()
    assert list(app.dataframe[0].value["name"]) == ["customer-churn"]
    assert "Showing 1 of 4 models." in texts(app)

    app.text_input(key="inventory.search").input("").run()
    app.multiselect(key="inventory.process").select("Customer retention").run()
    app.toggle(key="inventory.gaps").set_value(True).run()
    assert list(app.dataframe[0].value["name"]) == ["Kündigung Geschäftskunden"]

    app.text_input(key="inventory.search").input("no such model").run()
    assert "No model matches these filters." in texts(app)


def test_model_card_by_query_parameter(app_runtime):
    app = open_page(MODEL_CARD, model="customer-churn")
    shown = texts(app)
    assert app.title[0].value == r"customer\-churn"  # Markdown shows the name as it is
    assert "Predicts which customers are about to cancel" in shown
    assert (
        "Version 2 has been in production since 14 Feb 2026 (marked by alias 'champion')." in shown
    )
    # The version tag overrides the model's limitations.
    assert "Not for customers under 18" in shown.replace("\\", "")
    history = app.table[0].value
    assert list(history["Version"]) == ["Version 2", "Version 1"]
    assert list(history["Until"]) == ["today", "14 Feb 2026"]
    metrics_table = app.table[1].value.set_index("Measure")
    assert metrics_table.loc["accuracy", "Value"] == "86.0 %"
    assert metrics_table.loc["f1", "Value"] == "no valid value (the run logged an invalid number)"
    # Table cells are Markdown: the metric name from MLflow arrives escaped.
    assert metrics_table.loc[r"custom\_lift", "What it means"].startswith("No explanation")
    assert "a" * 40 in shown  # code commit in lineage
    assert "All documentation fields are filled in." in shown


def test_model_card_of_an_undocumented_model_names_its_gaps(app_runtime):
    app = open_page(MODEL_CARD, model="bare model")
    shown = texts(app)
    assert "The purpose of this model is not documented." in shown
    assert "No version of this model is in production." in shown
    assert "Missing: Purpose, Business process, Business unit, Technical owner" in shown


def test_model_card_unknown_name_and_german_legacy_stage(app_runtime):
    app = open_page(MODEL_CARD, model="<script>alert(1)</script>")
    assert r"No model named '\<script\>alert\(1\)\</script\>' is registered." in texts(app)
    app = open_page(MODEL_CARD, language="de", model="house-prices")
    assert "Version 1 ist seit 25.01.2026 im Einsatz (markiert durch Stufe 'Production'" in texts(
        app
    )
    assert app.table[1].value.set_index("Kennzahl").loc["rmse", "Wert"] == "23.150"


def test_model_card_without_parameter_offers_a_choice(app_runtime):
    app = open_page(MODEL_CARD)
    choice = app.selectbox(key="card.choose")
    assert choice.options == [
        "bare model",
        "customer-churn",
        "house-prices",
        "Kündigung Geschäftskunden",
    ]
    choice.select("Kündigung Geschäftskunden").run()
    assert app.title[0].value == "Kündigung Geschäftskunden"
    assert app.query_params["model"] == "Kündigung Geschäftskunden"


def test_data_status_shows_syncs_and_sync_now_queues_one(app_runtime):
    app = open_page(DATA_STATUS)
    recent = app.dataframe[0].value
    assert list(recent["outcome"]) == ["succeeded", "succeeded"]
    assert list(recent["models"]) == [4, 4]
    assert metrics(app)["Last attempt"] == "succeeded"
    app.button(key="status.sync_now").click().run()
    assert "Sync started" in texts(app) or "already waiting" in texts(app)


@pytest.mark.parametrize(
    "page",
    [OVERVIEW, INVENTORY, MODEL_CARD, DATA_STATUS],
)
def test_every_page_renders_in_german_without_english_titles(app_runtime, page):
    app = open_page(page, language="de", model="customer-churn")
    assert app.title, page
    assert app.title[0].value not in {"Overview", "Model inventory", "Data status"}
    # Every page runs through the router, which draws the shared sidebar.
    sidebar = " ".join(str(element.value) for element in app.sidebar.caption)
    assert "Angemeldet als Lokale Nutzerin / lokaler Nutzer" in sidebar
