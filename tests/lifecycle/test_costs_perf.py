"""At 1,000 models the value page and the overview stay fast with net value and ROI: the costs
are read set-based (one query for running costs, one for development) and cached per version.
Timing only: run with `make bench` (pytest -m perf)."""

from __future__ import annotations

import pytest

from portal import clock
from portal.domain.value import months_between, period_months
from portal.runtime import close_runtime, open_runtime
from portal.services.value import ValueService
from portal.store import open_store
from portal.ui.navigation import OVERVIEW, VALUE
from tests.support.builders import ADMIN, kpi_file
from tests.support.render_timing import time_page
from tests.support.report_scale import fill

MODELS = 1000


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    import streamlit as st

    from tests.conftest import load_settings_for

    folder = tmp_path_factory.mktemp("costs-scale")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = open_store(settings.store_path)
    fill(store, settings, MODELS)
    months = months_between(*period_months("quarter", clock.today(), None))
    rows = [
        (f"model-{index:03d}", "running_cost", f"{month:%Y-%m}", 900 + index % 7 * 150)
        for index in range(MODELS)
        if index % 4
        for month in months
    ]
    assert ValueService(store, settings).load_kpis(ADMIN, kpi_file(rows), "c.csv", "cli").loaded
    store.close()
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield open_runtime(settings, schedule=False)
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.perf
@pytest.mark.parametrize("page", (VALUE, OVERVIEW))
def test_value_page_and_overview_with_costs_at_1000_models(thousand, page, bench_figure):
    cold, warm = time_page(page, runs=3)
    bench_figure(
        f"{page.script} with costs at {MODELS} models: first {cold:.3f} s, then {warm:.3f} s"
    )
