"""The data status page says when MLflow's last webhook event arrived and how many were refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.clock import utc_now
from portal.services import mlflow_webhook
from portal.ui.navigation import DATA_STATUS
from tests.pages.test_pages import metrics, open_page, texts
from tests.support.webhook_deliveries import alias_moved

SECRET = "page-test-secret"


@pytest.fixture
def webhook_secret() -> str:
    return SECRET


@pytest.fixture
def settings(settings, webhook_secret):
    """The test settings with webhooks switched on (or off, for an empty secret)."""
    return replace(settings, mlflow_webhook_secret=webhook_secret)


def test_the_last_event_and_the_refusals_are_shown(app_runtime):
    accepted = mlflow_webhook.receive(
        app_runtime, *alias_moved(SECRET, utc_now(), "customer-churn", "champion", 1)
    )
    refused = mlflow_webhook.receive(
        app_runtime, *alias_moved("wrong", utc_now(), "customer-churn", "champion", 2)
    )
    assert (accepted.status, refused.status) == (200, 401)
    app = open_page(DATA_STATUS)
    shown = metrics(app)
    assert shown["Events received"] == "1"
    assert shown["Last event"] == "just now"
    assert int(shown["Refused since start"]) >= 1
    page = texts(app)
    assert "alias set for model customer-churn" in "\n".join(t.value for t in app.text)
    assert "wrong signature" in page
    german = open_page(DATA_STATUS, language="de")
    assert metrics(german)["Empfangene Ereignisse"] == "1"
    assert "falsche Signatur" in texts(german)


@pytest.mark.parametrize("webhook_secret", [""])
def test_without_a_secret_the_page_says_webhooks_are_not_set_up(app_runtime):
    app = open_page(DATA_STATUS)
    assert "Not set up: without PORTAL_MLFLOW_WEBHOOK_SECRET" in texts(app)
