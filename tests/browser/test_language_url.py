"""The language in a real browser: from the address, kept in a cookie, else the browser's."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, choose, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.server]

SIDEBAR_SWITCH = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'


def heading(tab, text: str) -> None:
    expect(tab.get_by_role("heading", name=text, exact=True)).to_be_visible(timeout=WAIT_MS)


def language_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == "portal_language"), None)


def test_the_address_sets_german_and_a_new_tab_keeps_it(browser, portal_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{portal_url}/?lang=de")
        heading(tab, "Überblick")
        settle(tab)
        expect(tab).to_have_url(f"{portal_url}/?lang=de")
        tab.wait_for_function("document.cookie.includes('portal_language=de')", timeout=WAIT_MS)
        assert language_cookie(context) == "de"
        # The page table's links start without parameters; the router puts the language back.
        tab.get_by_role("link", name="Modellverzeichnis").first.click()
        heading(tab, "Modellverzeichnis")
        expect(tab).to_have_url(f"{portal_url}/inventory?lang=de", timeout=WAIT_MS)
        # A new tab without the parameter: the cookie says German.
        second = context.new_page()
        second.set_default_timeout(WAIT_MS)
        second.goto(f"{portal_url}/inventory")
        heading(second, "Modellverzeichnis")
        expect(second).to_have_url(f"{portal_url}/inventory?lang=de", timeout=WAIT_MS)
        screenshot(second, "language-new-tab-de")
    finally:
        context.close()


def test_a_german_browser_without_a_cookie_gets_german(browser, portal_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{portal_url}/")
        heading(tab, "Überblick")
        expect(tab).to_have_url(f"{portal_url}/?lang=de", timeout=WAIT_MS)
        # Remembered like a choice, so that a later visit keeps it.
        tab.wait_for_function("document.cookie.includes('portal_language=de')", timeout=WAIT_MS)
    finally:
        context.close()


def test_switching_to_english_in_the_sidebar_shows_in_the_address(browser, portal_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{portal_url}/inventory?lang=de")
        heading(tab, "Modellverzeichnis")
        choose(tab, tab.locator(SIDEBAR_SWITCH), "English")
        heading(tab, "Model inventory")
        expect(tab).to_have_url(f"{portal_url}/inventory?lang=en", timeout=WAIT_MS)
        tab.wait_for_function("document.cookie.includes('portal_language=en')", timeout=WAIT_MS)
        # A reload keeps English although the browser prefers German.
        tab.goto(f"{portal_url}/inventory")
        heading(tab, "Model inventory")
        expect(tab).to_have_url(f"{portal_url}/inventory?lang=en", timeout=WAIT_MS)
    finally:
        context.close()


def test_a_deep_link_keeps_its_model_and_language(browser, portal_url, awkward_sqlite_store):
    name = min(awkward_sqlite_store.registry.versions, key=lambda n: (n.lower(), n))
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        tab = context.new_page()
        tab.set_default_timeout(WAIT_MS)
        tab.goto(f"{portal_url}/model?model={quote(name)}&lang=de")
        heading(tab, "Im Einsatz")
        settle(tab)
        assert parse_qs(urlsplit(tab.url).query) == {"model": [name], "lang": ["de"]}
    finally:
        context.close()
