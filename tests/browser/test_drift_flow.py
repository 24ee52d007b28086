"""A manager opens model health in the browser and drills into the drifting model."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.store import open_store
from tests.browser.conftest import browser_tab, screenshot, settle
from tests.conftest import load_settings_for
from tests.support.drift_fixtures import churn_logs, churn_rows, write_logs
from tests.support.portal_server import running_portal

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHURN = "customer-churn"
HISTORY_WEEKS = 4


def build_drift_registry(tracking_uri: str, artifact_root: Path) -> None:
    """Three production models in MLflow: churn with a reference sample, house prices without
    one, and a German-named model that logs nothing."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment("drift", artifact_location=artifact_root.as_uri())
    for name, reference in (
        (CHURN, churn_rows(2000, seed=1)),
        ("house-prices", None),
        ("Kündigung Geschäftskunden", None),
    ):
        run_id = client.create_run(experiment, run_name=f"train-{name}").info.run_id
        client.log_metric(run_id, "accuracy", 0.86)
        client.log_metric(run_id, "roc_auc", 0.9)
        client.log_text(run_id, "tiny model\n", "model/MLmodel")
        if reference is not None:
            with tempfile.TemporaryDirectory() as folder:
                sample = Path(folder) / "reference.parquet"
                reference.to_parquet(sample, index=False)
                client.log_artifact(run_id, str(sample), "reference")
        client.set_terminated(run_id)
        client.create_registered_model(name, tags={"purpose": f"Demo model {name}."})
        client.create_model_version(name, source=f"runs:/{run_id}/model", run_id=run_id)
        client.set_registered_model_alias(name, "champion", "1")


def prepare_drift_portal(folder: Path) -> dict[str, str]:
    """MLflow, inference logs relative to today, and a store synced and checked once; returns
    the environment that serves it (the server's own start-up check finds the same)."""
    from portal.clock import utc_now
    from portal.drift.job import run_drift_job
    from portal.sources.mlflow_source import MlflowSource
    from portal.sync import sync_mlflow

    tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
    (folder / "artifacts").mkdir()
    build_drift_registry(tracking_uri, folder / "artifacts")
    settings = replace(
        load_settings_for(folder / "portal.duckdb", tracking_uri),
        drift_history_weeks=HISTORY_WEEKS,
        drift_sample_rows=5000,
    )
    now = utc_now()
    start = now - timedelta(weeks=HISTORY_WEEKS + 1)
    days = (now - start).days + 1
    write_logs(
        settings.inference_dir,
        CHURN,
        churn_logs(start, days, 200, 31, shift_from=now - timedelta(days=7)),
    )
    write_logs(settings.inference_dir, "house-prices", churn_logs(start, days, 50, 3))
    store = open_store(settings.store_path)
    source = MlflowSource(tracking_uri)
    synced = sync_mlflow(
        store,
        source,
        source_uri="fixture",
        alias_precedence=settings.production_aliases,
        trigger="cli",
    )
    assert synced.ok, synced.error
    run_drift_job(store, settings, source, trigger="cli", now=now)
    store.close()
    return {
        "PORTAL_MLFLOW_TRACKING_URI": tracking_uri,
        "PORTAL_STORE_PATH": str(settings.store_path),
        "PORTAL_INFERENCE_DIR": str(settings.inference_dir),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_DRIFT_INTERVAL_MINUTES": "0",
        "PORTAL_DRIFT_HISTORY_WEEKS": str(HISTORY_WEEKS),
        "PORTAL_DRIFT_SAMPLE_ROWS": "5000",
        "PORTAL_LANGUAGE": "en",
    }


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[str]:
    """A portal over a store that already holds drift results."""
    folder = tmp_path_factory.mktemp("drift-portal")
    env = prepare_drift_portal(folder)
    with running_portal(env, folder / "server.log") as url:
        yield url


def test_open_health_and_drill_into_the_drifting_model(browser, portal):
    with browser_tab(browser) as page:
        page.goto(f"{portal}/drift")
        page.get_by_role("heading", name="Model health").wait_for()
        settle(page)
        page.get_by_text("most of all 'monthly_charges'").first.wait_for()
        expect(page.get_by_text("Drifting", exact=True).first).to_be_visible()
        screenshot(page, "drift-portfolio")

        # Models needing attention come first: the first details link is the drifting model's.
        page.get_by_role("link", name="Details").first.click()
        page.get_by_role("heading", name=CHURN, exact=True).wait_for()
        settle(page)
        assert "model=customer-churn" in page.url
        table = page.locator('[data-testid="stDataFrame"]').first
        expect(table).to_be_visible()
        # The grid draws on a canvas; its cells are mirrored in an accessible (hidden) table.
        expect(table.get_by_test_id("glide-cell-0-0")).to_have_text("monthly_charges")
        expect(table.get_by_test_id("glide-cell-1-0")).to_have_text("yes")
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        expect(chart).to_be_visible()
        expect(chart.get_by_text("Training data")).to_be_visible()
        expect(chart.get_by_text("Production")).to_be_visible()
        page.get_by_text("'monthly_charges' changed noticeably.").wait_for()
        screenshot(page, "drift-drill-down")
