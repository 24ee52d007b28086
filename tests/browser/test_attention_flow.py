"""The overview's attention list in a real browser: an item names who acts, and its link opens
the page where it is fixed, at the model."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, browser_tab, screenshot, settle
from tests.support import portal_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

MODEL = "churn-model"  # in production, criticality high, no executive: the most at stake
ANNA = {
    "X-Forwarded-Email": "anna.schmidt@example.com",  # its technical owner
    "X-Forwarded-Preferred-Username": "Anna Schmidt",
}


@pytest.fixture(scope="module")
def proxy_portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """A portal over the awkward registry that learns names from a proxy's sign-in headers."""
    folder = tmp_path_factory.mktemp("attention-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_LANGUAGE": "en",
        "PORTAL_AUTH_MODE": "proxy",
    }
    with portal_server.running_portal(env, folder / "server.log") as url:
        yield url


def test_the_top_item_names_who_acts_and_opens_where_it_is_fixed(browser, proxy_portal):
    with browser_tab(browser, ANNA) as tab:
        tab.goto(proxy_portal)
        settle(tab)
        # The first visit records the name the sign-in gave; the next render shows it.
        tab.reload()
        settle(tab)
        heading = tab.get_by_role("heading", name="What needs attention")
        expect(heading).to_be_visible(timeout=WAIT_MS)
        first = tab.locator(".st-key-attention_overview_0")
        expect(first).to_contain_text(f"{MODEL} has been in production without an accountable")
        person = first.get_by_role("link", name="Anna Schmidt")
        expect(person).to_have_attribute("href", "mailto:anna.schmidt@example.com")
        expect(tab.get_by_text("production models have no accountable executive")).to_be_visible()
        screenshot(tab, "attention-overview")

        first.get_by_role("link", name="Name an accountable executive").click()
        expect(tab).to_have_url(re.compile(rf"/risk\?model={MODEL}(&|$)"), timeout=WAIT_MS)
        settle(tab)
        expect(tab.get_by_role("heading", name=f"Risks of {MODEL}")).to_be_visible(timeout=WAIT_MS)
        expect(tab.get_by_role("heading", name="What needs attention here")).to_be_visible()

        tab.goto(proxy_portal)
        settle(tab)
        tab.get_by_role("link", name=re.compile(r"Open the \d+ models")).first.click()
        expect(tab).to_have_url(re.compile(r"/inventory\?attention="), timeout=WAIT_MS)
        settle(tab)
        expect(tab.get_by_text("Showing only:")).to_be_visible(timeout=WAIT_MS)
