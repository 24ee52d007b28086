"""Drift, risk and lineage with 200 models (150 in production): tables, counts and filters
instead of one box, name or diagram per model; in English and German."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from portal.domain.risk import RISKS
from portal.runtime import close_runtime, open_runtime
from portal.store import open_store
from portal.ui import data
from portal.ui.navigation import DRIFT, LINEAGE, RISK
from tests.conftest import load_settings_for
from tests.pages.test_pages import open_page, texts
from tests.support.builders import ADMIN
from tests.support.lists_scale import add_drift, production_models
from tests.support.report_scale import fill

MODELS = 200


@pytest.fixture(scope="module")
def scale_file(tmp_path_factory):
    """One store of 200 generated models with a drift check each, built once per module."""
    folder = tmp_path_factory.mktemp("lists-scale")
    settings = load_settings_for(folder / "portal.duckdb", "sqlite:///unused.db")
    store = open_store(settings.store_path)
    fill(store, settings, MODELS)
    add_drift(store, production_models(store), weeks=2)
    store.close()
    return settings.store_path


@pytest.fixture
def at_scale(settings, scale_file, monkeypatch):
    """The process runtime over a copy of the scale store, signed in as an administrator."""
    import streamlit as st

    shutil.copy(scale_file, settings.store_path)
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setattr("portal.ui.signin.current_identity", lambda: ADMIN)
    monkeypatch.setattr("portal.ui.session.current_identity", lambda: ADMIN)
    yield open_runtime(settings, schedule=False)
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()


def chart_annotations(app) -> list[str]:
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    return [annotation["text"] for annotation in spec["layout"].get("annotations", [])]


def test_drift_lists_many_models_in_a_filterable_table(at_scale):
    portfolio = data.drift_portfolio()
    assert len(portfolio.models) == 150
    app = open_page(DRIFT)
    [table] = app.dataframe
    frame = table.value
    assert len(frame) == 150
    assert set(frame.columns) >= {"model", "light", "share", "outputs", "checked", "trend"}
    # Problems first: the first rows are the drifting models.
    drifting = portfolio.counts["drifting"]
    assert set(frame["light"][:drifting]) == {"Drifting"}
    assert "150 of 150 production models" in texts(app)
    assert not [e for e in app.get("plotly_chart")]  # no chart per model
    app.multiselect(key="drift.table_lights").set_value(["drifting"]).run()
    assert len(app.dataframe[0].value) == drifting
    app.multiselect(key="drift.table_lights").set_value([]).run()
    app.text_input(key="drift.table_name").input("model-01").run()
    names = list(app.dataframe[0].value["model"])
    assert names and all("model-01" in name for name in names)
    app.text_input(key="drift.table_name").input("nothing like it").run()
    assert "No model matches these filters." in texts(app)


def test_drift_table_in_german_and_the_drill_down_still_opens(at_scale):
    app = open_page(DRIFT, language="de")
    shown = texts(app)
    assert "150 von 150 Modellen im Einsatz" in shown
    assert "production models" not in shown
    assert app.multiselect(key="drift.table_lights").placeholder == "Jede Ampelfarbe"
    app = open_page(DRIFT, model="model-001")
    assert app.title[0].value == "model\\-001"


def test_a_crowded_risk_matrix_shows_counts_and_opens_a_cell(at_scale):
    portfolio = data.risk_portfolio()
    assessed = [m for m in portfolio.models if m.assessments]
    assert len(assessed) == 100
    app = open_page(RISK)
    counts = [int(re.match(r"(\d+) models?$", text).group(1)) for text in chart_annotations(app)]
    assert sum(counts) == len(assessed)
    assert not any("model-" in text for text in chart_annotations(app))
    cell = app.selectbox(key="risk.cell")
    assert cell.value is None
    first = cell.options[0]
    assert re.match(r".+ × .+ = \d+ \((high|medium|low)\): \d+ models?$", first)
    worst = {
        m.name: sorted(m.assessments.values(), key=lambda a: (-a.score, RISKS.index(a.risk)))[0]
        for m in assessed
    }
    top = max(worst.values(), key=lambda a: a.score)
    cell.set_value((top.likelihood, top.impact)).run()
    listed = list(app.dataframe[0].value["model"])
    expected = [
        name
        for name, a in worst.items()
        if (a.likelihood, a.impact) == (top.likelihood, top.impact)
    ]
    assert sorted(listed) == sorted(expected)
    # Unassessed models are counted, not all named.
    assert "100 models are not in the matrix because they are not assessed yet" in texts(app)


def test_risk_matrix_counts_in_german(at_scale):
    app = open_page(RISK, language="de")
    assert all(re.match(r"\d+ Modelle?$", text) for text in chart_annotations(app))
    assert app.selectbox(key="risk.cell").placeholder.startswith("Wählen Sie ein Feld")


def test_lineage_asks_for_a_process_or_source_and_lists_meanwhile(at_scale):
    app = open_page(LINEAGE)
    assert not app.get("plotly_chart")
    shown = texts(app)
    assert "Choose a business process above to draw its diagram" in shown
    assert len(app.dataframe[0].value) == MODELS  # every model's lineage
    reach = app.dataframe[1].value
    assert list(reach["source"][:2]) and int(reach["models"][0]) == MODELS
    app.selectbox(key="lineage.process").set_value("Process 3").run()
    assert len(app.get("plotly_chart")) == 1
    app.selectbox(key="lineage.source").set_value("crm.contracts").run()
    assert "This data source feeds 200 models" in texts(app)
    app.selectbox(key="lineage.within.crm.contracts").set_value("Process 3").run()
    assert len(app.get("plotly_chart")) == 2


def test_lineage_prompt_in_german(at_scale):
    app = open_page(LINEAGE, language="de")
    shown = texts(app)
    assert "Wählen Sie oben einen Geschäftsprozess" in shown
    assert app.selectbox(key="lineage.source").placeholder == "Wählen Sie eine Datenquelle"


def test_the_overview_charts_the_largest_processes_and_lists_them_all(at_scale):
    app = open_page()
    processes = data.overview().processes
    assert len(processes) > data.CHART_PROCESSES
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    drawn = spec["data"][0]["y"]
    largest = sorted(processes, key=lambda group: (-group.models, group.name))
    assert len(drawn) == data.CHART_PROCESSES
    assert drawn[0] == (largest[0].name or "not documented")
    assert (
        f"The {data.CHART_PROCESSES} processes with the most models; "
        f"the table below lists all {len(processes)}." in texts(app)
    )
    table = next(frame.value for frame in app.dataframe if "Business process" in frame.value)
    assert len(table) == len(processes)
