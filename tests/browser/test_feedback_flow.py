"""Expert feedback end to end in a real browser, with identities from a proxy's headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import browser_tab, choose, screenshot, settle
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
EXPERT = {"X-Forwarded-Email": "erika@example.com", "X-Forwarded-Preferred-Username": "Erika"}
OWNER = {
    "X-Forwarded-Email": "anna.schmidt@example.com",
    "X-Forwarded-Preferred-Username": "Anna Schmidt",
}
VIEWER = {"X-Forwarded-Email": "vera@example.com", "X-Forwarded-Preferred-Username": "Vera"}
REPORT = "Customer 4711 renewed for two years, yet the model said they would cancel."


@pytest.fixture(scope="module")
def portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    """A portal in proxy mode over the awkward registry; Erika is a domain expert."""
    folder = tmp_path_factory.mktemp("feedback-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_AUTH_MODE": "proxy",
        "PORTAL_EXPERTS": "erika@example.com",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


def open_card(page, portal: str, model: str) -> None:
    page.goto(f"{portal}/model?model={model}")
    page.get_by_role("heading", name="What the experts say").wait_for()
    settle(page)


def test_expert_reports_owner_answers_viewer_cannot_report(browser, portal, awkward_sqlite_store):
    model = awkward_sqlite_store.registry.tagged_model  # owned by anna.schmidt@example.com
    with browser_tab(browser, EXPERT) as page:
        open_card(page, portal, model)
        page.get_by_text("Report a wrong or surprising prediction").click()
        page.get_by_label("Case reference (e.g. customer or application number)").fill("C-4711")
        page.get_by_label("What the model said").fill("will cancel (0.91)")
        page.get_by_label("What you expected").fill("renewed")
        page.get_by_label("Describe what happened").fill(REPORT)
        page.get_by_role("button", name="Send feedback").click()
        page.get_by_text("Your feedback is stored as FB-000001").wait_for()
        settle(page)
        assert page.locator(ERRORS).count() == 0
        screenshot(page, "feedback-expert-confirmation")

    with browser_tab(browser, OWNER) as page:
        page.goto(f"{portal}/feedback")
        # An owner with open feedback lands on "To answer"; each item opens to its answer form.
        page.get_by_text("To answer (1)").wait_for()
        page.get_by_text(REPORT).first.wait_for()
        settle(page)
        page.get_by_text("Details and answer").click()
        form = page.locator('[data-testid="stForm"]')
        choose(page, form.locator('[data-testid="stSelectbox"]'), "resolved")
        page.get_by_label("Answer to the expert").fill(
            "Renewals are now part of the training data."
        )
        page.get_by_role("button", name="Save answer").click()
        page.get_by_text("Answer saved for FB-000001.").wait_for()
        screenshot(page, "feedback-owner-answered")

    with browser_tab(browser, EXPERT) as page:
        page.goto(f"{portal}/feedback")
        page.get_by_text(REPORT).first.wait_for()  # an expert without items to answer: My feedback
        settle(page)
        page.get_by_text("Details and answer").first.click()
        page.get_by_text("Renewals are now part of the training data.").wait_for()

    with browser_tab(browser, VIEWER) as page:
        open_card(page, portal, model)
        page.get_by_text(REPORT).first.wait_for()  # everyone reads the feed
        assert page.get_by_text("Report a wrong or surprising prediction").count() == 0
        assert page.get_by_role("button", name="Send feedback").count() == 0
        screenshot(page, "feedback-viewer")
