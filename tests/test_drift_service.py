"""The drift service: what pages read, and admins queuing checks."""

from __future__ import annotations

import pytest

from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.drift import DriftService
from portal.services.identity import LOCAL_USER, Identity
from tests.support.drift_fixtures import fill_drift_results
from tests.test_scheduler import wait_for


@pytest.fixture
def drift_runtime(settings, filled_store):
    fill_drift_results(filled_store, settings)
    requests = []
    runtime = Runtime(
        settings,
        filled_store,
        Scheduler(lambda request: None, 0),
        Scheduler(requests.append, 0, name="drift"),
    )
    yield runtime, requests
    runtime.stop()


def test_portfolio_counts_every_production_model_once(drift_runtime):
    portfolio = DriftService(drift_runtime[0]).portfolio()
    assert portfolio.counts == {
        "stable": 0,
        "watch": 0,
        "drifting": 1,
        "not_monitored": 2,
        "no_data": 0,
        "failed": 0,
    }
    churn = next(m for m in portfolio.models if m.model_name == "customer-churn")
    assert churn.light == "drifting"
    assert churn.top_changed_inputs == ("monthly_charges",)
    assert churn.share_changed == pytest.approx(1 / 3)
    assert churn.strongest_change > 5
    assert churn.has_report
    house = next(m for m in portfolio.models if m.model_name == "house-prices")
    assert (house.light, house.reason) == ("not_monitored", "no_reference")


def test_model_detail_has_inputs_distributions_trend_and_quality(drift_runtime):
    detail = DriftService(drift_runtime[0]).model("customer-churn")
    assert detail.features[0].feature == "monthly_charges" and detail.features[0].changed
    assert detail.features[-1].role == "prediction"
    assert set(detail.distributions) == {"tenure", "monthly_charges", "contract", "prediction"}
    shares = detail.distributions["contract"]
    assert sum(bucket.reference_share for bucket in shares) == pytest.approx(1.0)
    assert [week.status for week in detail.weeks] == ["stable", "stable", "drifting"]
    assert {week.feature for week in detail.top_input_weeks} == {"monthly_charges"}
    metrics = {quality.metric: quality for quality in detail.current_quality}
    assert metrics["accuracy"].training_value == pytest.approx(0.86)
    assert metrics["accuracy"].worse
    assert metrics["f1"].training_value is None  # the run logged NaN
    assert len([p for p in detail.quality_history if p.metric == "accuracy"]) == 3


def test_the_full_report_is_served_while_kept(drift_runtime):
    service = DriftService(drift_runtime[0])
    churn = service.model("customer-churn").summary
    report = service.report_html(churn.check_id)
    assert report.lstrip().startswith(b"<!DOCTYPE html>")
    assert b"monthly_charges" in report
    assert service.report_html(-1) is None
    assert service.model("nobody") is None


def test_admins_queue_a_check_and_it_is_audited(drift_runtime):
    runtime, requests = drift_runtime
    service = DriftService(runtime)
    assert service.request_check(LOCAL_USER, "customer-churn")
    wait_for(lambda: requests and not service.busy)
    assert requests[0].model_name == "customer-churn"
    entries = AuditService(runtime.store).entries(LOCAL_USER, AuditFilter())
    assert entries[0].action == "drift.requested" and entries[0].entity_id == "customer-churn"
    viewer = Identity("viewer@example.com", "Viewer", frozenset({"viewer"}))
    with pytest.raises(NotAllowed):
        service.request_check(viewer)
