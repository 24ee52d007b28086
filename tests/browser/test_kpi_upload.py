"""An administrator uploads a KPI file in the browser and sees the new figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from portal import clock
from portal.domain.value import months_between, period_months
from portal.services.identity import LOCAL_USER
from portal.services.value import ValueService
from portal.sources.mlflow_source import MlflowSource
from portal.store import open_store
from portal.sync import sync_mlflow
from tests.browser.conftest import browser_tab, screenshot, settle
from tests.conftest import load_settings_for
from tests.support.builders import promise
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[tuple[str, list[date], str]]:
    """A portal whose store already knows the registry and one promise: 370 kept a month."""
    folder = tmp_path_factory.mktemp("upload-portal")
    store_path = folder / "portal.duckdb"
    model = awkward_sqlite_store.registry.tagged_model
    settings = load_settings_for(store_path, awkward_sqlite_store.tracking_uri)
    months = months_between(*period_months("quarter", clock.today(), None))
    store = open_store(store_path)
    sync_mlflow(
        store,
        MlflowSource(settings.mlflow_tracking_uri),
        source_uri="fixture",
        alias_precedence=settings.production_aliases,
        trigger="cli",
    )
    ValueService(store, settings).set_benchmark(
        LOCAL_USER,
        model,
        promise(valid_from=months[0]),
    )
    store.close()
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(store_path),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url, months, model


def test_upload_a_german_excel_style_csv_and_see_the_value(browser, portal, tmp_path):
    url, months, model = portal
    kpis = tmp_path / "kpis.csv"
    kpis.write_text(
        "model;kpi;period;value\n"
        f"{model};customers kept;{months[0]:%Y-%m};1.312,0\n"
        f"{model};customers kept;{months[2]:%Y-%m};350\n",
        encoding="utf-8-sig",  # with a BOM, as Excel writes it
    )
    with browser_tab(browser) as page:
        page.goto(f"{url}/value")
        page.get_by_role("heading", name="Business value").wait_for()
        settle(page)
        page.get_by_text("Load KPI observations (administrators)").click()
        page.locator('input[type="file"]').set_input_files(str(kpis))
        # The file travels to the server before the form may be sent.
        page.get_by_text("kpis.csv", exact=True).first.wait_for()
        settle(page)
        page.get_by_role("button", name="Load file").click()
        page.get_by_text("kpis.csv loaded: 2 rows, 2 added, 0 replaced, 0 unchanged.").wait_for()
        settle(page)
        # 1,312 + 350 = 1,662 kept at 50 EUR each; promised 2 x 370 x 50 = 37,000 EUR.
        page.get_by_text("83,100 EUR").first.wait_for()
        page.get_by_text("37,000 EUR").first.wait_for()
        screenshot(page, "value-after-upload")
