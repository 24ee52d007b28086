"""An incident end to end in a real browser: a viewer reports it from the model's address and
sees what was in production when it started; the owner moves it on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.browser.conftest import browser_tab, screenshot, settle
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
VIEWER = {"X-Forwarded-Email": "vera@example.com", "X-Forwarded-Preferred-Username": "Vera"}
OWNER = {
    "X-Forwarded-Email": "anna.schmidt@example.com",
    "X-Forwarded-Preferred-Username": "Anna Schmidt",
}


@pytest.fixture(scope="module")
def portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """A portal in proxy mode over the awkward registry, synced at start."""
    folder = tmp_path_factory.mktemp("incident-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_AUTH_MODE": "proxy",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


def test_a_viewer_reports_an_incident_and_sees_its_trace(browser, portal, awkward_sqlite_store):
    model = awkward_sqlite_store.registry.tagged_model  # champion: version 2
    # The form starts at the minute it is opened; the ledger begins with the portal's first
    # sync: open it in a later minute than that sync, so the version is in the ledger by then.
    time.sleep(61 - datetime.now(UTC).second)
    with browser_tab(browser, VIEWER) as page:
        page.goto(f"{portal}/incidents?model={model}")
        page.get_by_role("heading", name="Incidents").first.wait_for()
        settle(page)
        page.get_by_label("In one line, what happened").fill("Scores look random")
        page.get_by_label("What happened, in detail").fill(
            "Since this morning every customer gets a score near 0.5."
        )
        page.get_by_role("button", name="Report the incident").click()
        page.get_by_text("The incident is recorded as INC-1").wait_for()
        settle(page)
        assert page.locator(ERRORS).count() == 0
        page.get_by_text(f"version 2 of {model} was in production").wait_for()
        assert page.get_by_text("It was trained in run").count() == 1
        screenshot(page, "incident-reported-trace")

    with browser_tab(browser, OWNER) as page:
        page.goto(f"{portal}/incidents?incident=INC-1")
        page.get_by_text("Move the incident on (owners)").wait_for()
        settle(page)
        page.get_by_label("Note").fill("Rolled back the feature pipeline.")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("INC-1 is updated.").wait_for()
        settle(page)
        assert page.get_by_text("Rolled back the feature pipeline.").count() == 1
        assert page.locator(ERRORS).count() == 0
