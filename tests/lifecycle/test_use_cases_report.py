"""The PDFs' use case parts: the portfolio report's pipeline and the fact sheet's use case."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from portal.report import render_fact_sheet, render_portfolio
from portal.runtime import command_runtime
from portal.services.report import ReportService
from portal.services.use_cases import UseCaseService
from tests.conftest import sync_fake
from tests.lifecycle.use_cases_support import RETENTION
from tests.report.facts import text_of
from tests.support.builders import EXPERT
from tests.support.catalog_fixture import T0, base_registry

NOW = datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def service(settings, store) -> ReportService:
    """Two approved use cases, customer-churn serving one; a third proposed."""
    sync_fake(store, base_registry(), T0 + timedelta(days=30))
    cases = UseCaseService(store, settings)
    cases.propose(EXPERT, RETENTION, now=NOW)
    cases.propose(
        EXPERT, replace(RETENTION, key="fraud", title="Flag fraudulent invoices"), now=NOW
    )
    cases.propose(EXPERT, replace(RETENTION, key="claims", title="Route claims"), now=NOW)
    with store.transaction() as tx:
        for key in ("customer-retention", "fraud"):
            cases.use_cases.set_status_in(tx, cases.get(key).id, "approved", "x", NOW)
    cases.link_model(EXPERT, "customer-retention", "customer-churn", now=NOW)
    return ReportService(command_runtime(settings, store))


def test_the_portfolio_report_shows_the_pipeline_and_who_waits_for_a_model(service):
    facts = service.portfolio_facts("Ada Admin", NOW)
    assert dict(facts.use_cases.counts)["approved"] == 2
    words = " ".join(text_of(render_portfolio(facts, "en").pdf))
    assert "Use cases per status: Proposed: 1, Approved: 2, In development: 0" in words
    assert "Approved, no model yet (1): Flag fraudulent invoices." in words
    german = " ".join(text_of(render_portfolio(facts, "de").pdf))
    assert "Freigegeben, noch kein Modell (1): Flag fraudulent invoices." in german


def test_the_fact_sheet_names_the_use_case_with_its_targets(service):
    facts = service.fact_sheet_facts("customer-churn", "Ada Admin", NOW)
    assert facts.use_case.key == "customer-retention"
    words = " ".join(text_of(render_fact_sheet(facts, "en").pdf))
    assert "Serves the use case “Call customers before they cancel” (status: Approved)" in words
    assert "roc_auc at least 0.8 (model metric)" in words
    assert "retention rate increase at least 4 % (business metric)" in words
    other = service.fact_sheet_facts("house-prices", "Ada Admin", NOW)
    assert other.use_case is None
    assert "Serves no documented use case." in " ".join(text_of(render_fact_sheet(other, "en").pdf))
