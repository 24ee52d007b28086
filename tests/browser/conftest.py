"""A running portal over a real MLflow store, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.portal_server import ROOT, running_portal

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "screenshots"
WAIT_MS = 30_000
RUNNING = '[data-testid="stStatusWidget"]'
PLACEHOLDER = '[data-testid="stSkeleton"]'
BROWSER_PORTAL_TOKEN = "browser-tests-token"


@pytest.fixture(scope="session")
def portal_url(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """The portal served from a fresh store, synced at start from the awkward SQLite registry."""
    folder: Path = tmp_path_factory.mktemp("browser-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_LANGUAGE": "en",
        "PORTAL_API_TOKEN": BROWSER_PORTAL_TOKEN,
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (Playwright cannot download its own browsers here)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab sized like a laptop screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (ignored by git)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def browser_tab(browser, headers: Mapping[str, str] | None = None) -> Iterator:
    """A tab in a fresh browser context, sending the given headers with every request."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1400}, extra_http_headers=dict(headers or {})
    )
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        yield tab
    finally:
        context.close()


def settle(tab) -> None:
    """Wait until the script run has finished and every placeholder has been drawn."""
    expect(tab.locator(RUNNING)).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator(PLACEHOLDER)).to_have_count(0, timeout=WAIT_MS)


def choose(tab, select, option: str) -> None:
    """Pick an option of a Streamlit selectbox; a click during a rerun may not open the list."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        settle(tab)
        select.click()
        try:
            tab.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            tab.keyboard.press("Escape")
    screenshot(tab, "choose-failed")
    raise AssertionError(f"could not choose {option!r}")
