"""Hostile names and feedback in a real browser: what Chromium shows is what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from portal.text.format import WORD_JOINER
from tests.browser.conftest import browser_tab, screenshot, settle
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

DROP = "x'; DROP TABLE runs; --"
PURPOSE = "**bold** _x_ $x$ <b>x</b> [link](http://e.com) :red[x] `tick` :smile:"
EXPERT = {"X-Forwarded-Email": "erika@example.com", "X-Forwarded-Preferred-Username": "Erika"}
# U+202E makes a browser draw what follows right to left: 'exe.live' would read 'evil.exe'.
REPORT = "The attachment \u202eexe.live was let through as safe."


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[str]:
    """A portal in proxy mode over an MLflow store whose one model has a hostile name."""
    from mlflow import MlflowClient

    folder = tmp_path_factory.mktemp("literal-names")
    tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment(
        "hostile", artifact_location=(folder / "artifacts").as_uri()
    )
    run_id = client.create_run(experiment, run_name=DROP).info.run_id
    client.set_terminated(run_id, status="FINISHED")
    client.create_registered_model(DROP, tags={"purpose": PURPOSE, "business_process": DROP})
    client.create_model_version(DROP, source=f"runs:/{run_id}/model", run_id=run_id)
    client.set_registered_model_alias(DROP, "champion", "1")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_AUTH_MODE": "proxy",
        "PORTAL_EXPERTS": "erika@example.com",
        "PORTAL_LANGUAGE": "en",
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


def test_the_card_shows_the_name_and_tags_exactly(browser, portal):
    with browser_tab(browser, EXPERT) as page:
        page.goto(f"{portal}/model?model={quote(DROP)}")
        page.get_by_role("heading", name="What the experts say").wait_for()
        settle(page)
        # The portal puts an invisible word joiner between two dashes (see markdown_literal).
        shown = page.locator("main").inner_text().replace(WORD_JOINER, "")
        assert page.locator("h1").first.inner_text().replace(WORD_JOINER, "").strip() == DROP
        assert PURPOSE in shown
        assert f"Business process: {DROP}" in shown
        # Typed dashes stay two dashes: no en or em dash where the name is shown.
        assert DROP in shown and DROP.replace("--", "–") not in shown
        assert DROP.replace("--", "—") not in shown
        main = page.locator("main")
        assert main.locator("strong", has_text="bold").count() == 0
        assert main.locator("a[href='http://e.com'], .katex, code", has_text="x").count() == 0
        screenshot(page, "literal-names-card")


def test_feedback_with_a_right_to_left_override_reads_in_typing_order(browser, portal):
    with browser_tab(browser, EXPERT) as page:
        page.goto(f"{portal}/model?model={quote(DROP)}")
        page.get_by_role("heading", name="What the experts say").wait_for()
        settle(page)
        page.get_by_text("Report a wrong or surprising prediction").click()
        page.get_by_label("What you expected").fill("blocked")
        description = page.get_by_label("Describe what happened")
        description.click()
        page.get_by_text("0/4000").wait_for()  # the counter shows the limit while typing
        description.fill("x" * 4100)
        assert len(description.input_value()) <= 4000  # the browser takes no more
        description.fill(REPORT)
        page.get_by_role("button", name="Send feedback").click()
        page.get_by_text("Your feedback is stored as FB-000001").wait_for()
        settle(page)
        shown = page.locator("main").inner_text()
        assert "The attachment <U+202E>exe.live was let through as safe." in shown
        assert "\u202e" not in shown
        screenshot(page, "literal-names-feedback")
