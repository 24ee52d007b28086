"""Services: authorization of admin actions, filters, health, credentials kept off pages."""

from __future__ import annotations

import pytest

from portal.config import redact_uri
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.catalog import CatalogService, filter_inventory
from portal.services.data_status import DataStatusService
from portal.services.health import health_report
from portal.services.identity import LOCAL_USER
from tests.support.builders import VIEWER


@pytest.fixture
def runtime(settings, filled_store):
    requested = []
    scheduler = Scheduler(lambda request: requested.append(request), interval_minutes=0)
    scheduler.request = lambda trigger, by: requested.append((trigger, by)) or True
    return Runtime(settings, filled_store, scheduler), requested


def test_viewers_may_neither_see_data_status_nor_start_a_sync(runtime):
    service = DataStatusService(runtime[0])
    with pytest.raises(NotAllowed, match="needs the role 'admin'"):
        service.status(VIEWER)
    with pytest.raises(NotAllowed):
        service.request_sync(VIEWER)
    assert runtime[1] == []


def test_admin_sees_the_sync_log_and_queues_a_sync(runtime):
    service = DataStatusService(runtime[0])
    status = service.status(LOCAL_USER)
    assert [attempt.status for attempt in status.recent] == ["ok", "ok"]
    assert status.sources[0].last_attempt.models_seen == 4
    assert service.request_sync(LOCAL_USER)
    assert runtime[1] == [("manual", "Local user")]


def test_credentials_in_uris_never_reach_a_page():
    assert redact_uri("https://ann:s3cret@mlflow.example.com/x") == "https://mlflow.example.com/x"
    assert redact_uri("sqlite:////data/mlflow.db") == "sqlite:////data/mlflow.db"


def test_inventory_filters_combine(settings, filled_store):
    rows = CatalogService(filled_store, settings).inventory()
    assert [r.name for r in filter_inventory(rows, production_only=True)] == [
        "customer-churn",
        "house-prices",
        "Kündigung Geschäftskunden",
    ]
    assert [r.name for r in filter_inventory(rows, "kündigung")] == ["Kündigung Geschäftskunden"]
    assert [r.name for r in filter_inventory(rows, units=[""])] == ["bare model", "house-prices"]


def test_health_report_counts_the_catalog(runtime):
    report = health_report(runtime[0])
    assert report.status == "ok"
    assert report.counts == {"models": 4, "in_production": 3, "versions": 5}
    assert report.last_sync["state"] in {"fresh", "stale"}
