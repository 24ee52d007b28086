"""An administrator loads the people directory in Chromium; the pages then show names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_tab, screenshot, settle
from tests.support.mlflow_stores import CONTRACT_TAGS, TRAINING_USER
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

OWNER = CONTRACT_TAGS["owner"]  # anna.schmidt@example.com, the tagged model's owner
PEOPLE = (
    "email;name;team;manager\n"
    f"{OWNER};Anna Schmidt;Customer Analytics;markus.schneider@example.com\n"
    "markus.schneider@example.com;Markus Schneider;Customer Service;\n"
)


@pytest.fixture(scope="module")
def portal_url(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """A portal of its own (its directory changes here), synced at start from the registry."""
    folder = tmp_path_factory.mktemp("people-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_LANGUAGE": "en",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


def test_an_admin_uploads_people_and_the_pages_show_their_names(browser, portal_url, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8-sig")  # with a BOM, as Excel writes it
    with browser_tab(browser) as page:
        page.goto(f"{portal_url}/ownership")
        page.get_by_role("heading", name="Accountability").wait_for()
        settle(page)
        page.get_by_role("tab", name="People directory").click()
        page.get_by_text("The directory is empty").wait_for()
        page.locator('input[type="file"]').set_input_files(str(people))
        # The file travels to the server before the form may be sent.
        page.get_by_text("people.csv", exact=True).first.wait_for()
        settle(page)
        page.get_by_role("button", name="Load people").click()
        page.get_by_text(
            "people.csv loaded: 2 person(s), 2 added, 0 changed, 0 unchanged."
        ).wait_for()
        settle(page)
        page.get_by_role("tab", name="People directory").click()
        directory = page.locator('[data-testid="stDataFrame"]').last
        # The grid draws on a canvas; its cells are mirrored in an accessible (hidden) table.
        expect(directory.get_by_test_id("glide-cell-0-0")).to_have_text("Anna Schmidt")
        expect(directory.get_by_test_id("glide-cell-2-0")).to_have_text("Customer Analytics")
        expect(directory.get_by_test_id("glide-cell-3-0")).to_have_text("Markus Schneider")
        screenshot(page, "people-directory-after-upload")

        # The lineage list names the owner's MLflow user ('anna.schmidt') and links her address.
        page.goto(f"{portal_url}/lineage")
        page.get_by_role("heading", name="Lineage").first.wait_for()
        settle(page)
        trained_by = page.get_by_role("link", name="Anna Schmidt").first
        expect(trained_by).to_have_attribute("href", f"mailto:{OWNER}")
        assert page.get_by_text(TRAINING_USER, exact=True).count() == 0
        screenshot(page, "people-names-in-lineage")
