"""The demo's use cases tell the story: six in production, one in development, one approved
with no model yet, one proposed and waiting for its design approval."""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.demo.governance import seed_demo_governance
from portal.demo.use_cases import advance_demo_use_cases, seed_demo_use_cases, use_cases
from portal.services.use_cases import UseCaseService
from portal.store.use_case_repo import UseCaseRepository
from tests.conftest import sync_fake
from tests.demo.test_governance import demo_like_registry
from tests.support.catalog_fixture import T0

NOW = datetime(2026, 11, 27, 12, 0)


@pytest.fixture
def seeded(settings, store) -> UseCaseService:
    """The demo-like catalog with its governance and use cases, every design but
    claims-triage approved (as the sign-off seed does), then moved on by the owners."""
    sync_fake(store, demo_like_registry(), T0)
    seed_demo_governance(store, settings, NOW)
    seed_demo_use_cases(store, settings, NOW)
    service = UseCaseService(store, settings)
    with store.transaction() as tx:
        for case in service.all():
            if case.key != "claims-triage":
                UseCaseRepository.set_status_in(tx, case.id, "approved", "x", NOW)
    advance_demo_use_cases(store, settings, NOW)
    return service


def test_the_nine_use_cases_stand_where_the_story_has_them(seeded):
    statuses = {case.key: case.status for case in seeded.all()}
    assert statuses == {case.draft.key: case.status for case in use_cases(NOW)}
    pipeline = seeded.pipeline()
    assert dict(pipeline.counts) == {
        "proposed": 1,
        "approved": 1,
        "in_development": 1,
        "in_production": 6,
        "retired": 0,
    }
    assert [c.key for c in pipeline.approved_without_model] == ["invoice-fraud"]
    assert statuses["claims-triage"] == "proposed"


def test_models_serve_their_use_cases_by_tag_or_portal_link(seeded):
    links = {
        link.model_name: (key, link.via)
        for key, found in seeded.serving().items()
        for link in found
    }
    assert links == {
        "customer-churn": ("customer-retention", "tag"),
        "employee-attrition": ("workforce-planning", "tag"),
        "credit-default-risk": ("credit-default", "portal"),
        "transit-ridership-forecast": ("transit-capacity", "portal"),
        "property-valuation": ("property-pricing", "portal"),
        "Kündigungsprognose Geschäftskunden": ("b2b-retention", "portal"),
        "delivery-time-estimate": ("delivery-eta", "portal"),
    }


def test_people_metrics_budgets_and_promises_are_there(seeded):
    retention = seeded.get("customer-retention")
    assert (retention.business_owner, retention.accountable_executive) == (
        "sophie.wagner@example.com",
        "markus.schneider@example.com",
    )
    assert {(m.metric, m.comparison, m.target) for m in retention.metrics} == {
        ("roc_auc", "at_least", 0.80),
        ("retention rate increase", "at_least", 4.0),
    }
    assert all(case.metrics and case.budget for case in seeded.all())
    assert seeded.get("credit-default").accountable_executive == ""
    assert set(seeded.expected_values()) == {
        "customer-retention",
        "credit-default",
        "delivery-eta",
        "invoice-fraud",
    }
    # Entered by the people who did it, at past times.
    proposer = {case.key: case.proposed_by for case in seeded.all()}
    assert proposer["customer-retention"] == "sophie.wagner@example.com"
    assert proposer["claims-triage"] == "markus.schneider@example.com"
    assert all(case.proposed_at < NOW for case in seeded.all())
