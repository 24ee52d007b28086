"""The main flows in a real browser against a running portal."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import BROWSER_PORTAL_TOKEN, screenshot
from tests.support.portal_server import get_json

pytestmark = [pytest.mark.browser, pytest.mark.server]

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator("h1").first.wait_for()
    page.wait_for_load_state("networkidle")
    # Streamlit shows a "Page not found" dialog for unknown paths; none may appear.
    assert page.get_by_text("Page not found").count() == 0


def select_first_row(page) -> None:
    """Click the selection checkbox of the inventory's first row, which opens the model card.

    The grid is a canvas: a click that lands while it is still drawing its rows selects
    nothing, so the click is repeated until the card opens (three tries).
    """
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    page.wait_for_load_state("networkidle")
    for _ in range(3):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 18)
        try:
            page.wait_for_url("**/model?model=*", timeout=10_000)
            return
        except PlaywrightTimeout:
            continue


def test_health_reports_counts_to_the_token_holder_only(portal_url, awkward_sqlite_store):
    token = {"Authorization": f"Bearer {BROWSER_PORTAL_TOKEN}"}
    status, body = get_json(f"{portal_url}/api/health", headers=token)
    assert status == 200
    assert body["status"] == "ok"
    assert body["counts"]["models"] == len(awkward_sqlite_store.registry.versions)
    assert body["last_sync"]["state"] == "fresh"
    status, anyone = get_json(f"{portal_url}/api/health")
    assert (status, set(anyone)) == (200, {"status", "last_sync"})


@pytest.mark.parametrize(
    ("path", "heading"),
    [("", "Overview"), ("inventory", "Model inventory"), ("data-status", "Data status")],
)
def test_each_page_loads_without_an_error(page, portal_url, path, heading):
    open_page(page, f"{portal_url}/{path}")
    assert page.locator("h1").first.inner_text().strip() == heading
    assert page.locator(ERRORS).count() == 0
    screenshot(page, f"page-{path or 'overview'}")


def test_model_card_of_awkward_names_loads(page, portal_url, awkward_sqlite_store):
    for name in awkward_sqlite_store.registry.versions:
        open_page(page, f"{portal_url}/model?model={quote(name)}")
        assert page.locator("h1").first.inner_text().strip() == name
        assert page.locator(ERRORS).count() == 0
    screenshot(page, "page-model-card")


def test_language_switch_changes_the_interface(page, portal_url):
    open_page(page, f"{portal_url}/")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Deutsch").click()
    page.get_by_role("heading", name="Überblick").wait_for()
    assert page.get_by_text("Registrierte Modelle").is_visible()
    # The choice is remembered for the session when moving to another page.
    page.get_by_role("link", name="Modellverzeichnis").first.click()
    page.get_by_role("heading", name="Modellverzeichnis").wait_for()
    screenshot(page, "page-inventory-de")
    # ... and when a selected row switches to the model card.
    select_first_row(page)
    page.wait_for_url("**/model?model=*")
    page.get_by_role("heading", name="Im Einsatz").wait_for()
    screenshot(page, "page-model-card-de")


def test_inventory_row_opens_the_model_card(page, portal_url, awkward_sqlite_store):
    open_page(page, f"{portal_url}/inventory")
    select_first_row(page)
    page.wait_for_url("**/model?model=*")
    # The inventory lists models by name, ignoring case.
    first_name = min(awkward_sqlite_store.registry.versions, key=lambda n: (n.lower(), n))
    page.get_by_role("heading", name=first_name).wait_for()
    assert page.locator(ERRORS).count() == 0
