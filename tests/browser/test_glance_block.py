"""A model card in Chromium opens with its glance block: the accountable executive by name and
the model's money, above the fold of a 1280 x 900 screen, in English and German."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from portal import clock
from portal.domain.people import Person
from portal.domain.risk import Governance
from portal.domain.value import months_between, period_months
from portal.runtime import command_runtime, run_mlflow_sync
from portal.services.identity import LOCAL_USER
from portal.services.people import PeopleService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.store import open_store
from tests.browser.conftest import WAIT_MS, screenshot, settle
from tests.conftest import load_settings_for
from tests.support.builders import observe, promise
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

MODEL = "glance-model"
EXECUTIVE = "cleo.chef@example.com"
FOLD = 900
GLANCE = ".st-key-card_glance"


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[str]:
    """A portal over an MLflow store with one production model whose promise, KPIs, executive
    and the executive's name are in the portal's store before the server starts."""
    from mlflow import MlflowClient

    folder = tmp_path_factory.mktemp("glance-block")
    tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment(
        "glance", artifact_location=(folder / "artifacts").as_uri()
    )
    run_id = client.create_run(experiment, run_name="train").info.run_id
    client.set_terminated(run_id, status="FINISHED")
    tags = {
        "purpose": "Predicts which customers are about to cancel.",
        "owner": "anna.schmidt@example.com",
        "business_process": "Retention",
    }
    client.create_registered_model(MODEL, tags=tags, description="A model for the glance.")
    client.create_model_version(MODEL, source=f"runs:/{run_id}/model", run_id=run_id)
    client.set_registered_model_alias(MODEL, "champion", "1")

    settings = load_settings_for(folder / "portal.duckdb", tracking_uri)
    store = open_store(settings.store_path)
    try:
        assert run_mlflow_sync(settings, store, "cli").ok
        first, last = period_months("quarter", clock.today(), None)
        months = months_between(first, last)
        ValueService(store, settings).set_benchmark(
            LOCAL_USER, MODEL, promise(valid_from=months[0])
        )
        observe(store, [(MODEL, "customers kept", month, "", 333.0) for month in months])
        RiskService(store, settings).set_governance(
            LOCAL_USER, MODEL, Governance(EXECUTIVE, "bob.business@example.com", "", "", "")
        )
        runtime = command_runtime(replace(settings), store)
        PeopleService(runtime).add_from_source([Person(EXECUTIVE, "Cleo Chef", "demo")], "demo")
    finally:
        store.close()
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": tracking_uri,
        "PORTAL_STORE_PATH": str(settings.store_path),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_LANGUAGE": "en",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


@pytest.fixture
def screen(browser):
    """A tab the size of a 1280 x 900 laptop screen."""
    context = browser.new_context(viewport={"width": 1280, "height": FOLD})
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    yield tab
    context.close()


def above_the_fold(locator) -> None:
    locator.wait_for()
    box = locator.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= FOLD, box


@pytest.mark.parametrize(
    ("lang", "title", "money"),
    [
        # 333 kept in each of 3 months at 50 EUR: 49,950 of 3 x 370 x 50 = 55,500 promised.
        ("en", "At a glance", "49,950 EUR of 55,500 EUR promised"),
        ("de", "Auf einen Blick", "49.950 EUR von 55.500 EUR versprochen"),
    ],
)
def test_the_glance_block_is_above_the_fold(screen, portal, lang, title, money):
    screen.goto(f"{portal}/model?model={MODEL}&lang={lang}")
    block = screen.locator(GLANCE)
    expect(block).to_contain_text(title, timeout=WAIT_MS)
    settle(screen)
    above_the_fold(block.get_by_text(title, exact=True))
    executive = block.get_by_role("link", name="Cleo Chef")
    above_the_fold(executive)
    assert executive.get_attribute("href") == f"mailto:{EXECUTIVE}"
    above_the_fold(block.get_by_text(money))
    box = block.bounding_box()
    assert box is not None and box["y"] < FOLD
    screenshot(screen, f"card-glance-{lang}")


def test_the_value_table_needs_no_horizontal_scrolling(screen, portal):
    screen.goto(f"{portal}/value")
    grid = screen.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    settle(screen)
    scroller = grid.locator(".dvn-scroller").first
    widths = scroller.evaluate("node => [node.scrollWidth, node.clientWidth]")
    assert widths[0] <= widths[1], widths
    grid.scroll_into_view_if_needed()
    screenshot(screen, "value-table-1280")
    # Choosing the row (its selection box, left of the first row) opens its drill-down.
    box = grid.bounding_box()
    assert box is not None
    screen.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    link = screen.get_by_role("link", name="Open the model card")
    expect(link).to_be_visible(timeout=WAIT_MS)
    assert f"model={MODEL}" in (link.get_attribute("href") or "")
    expect(
        screen.get_by_text("In money: 49,950 EUR realized of 55,500 EUR promised")
    ).to_be_visible()
