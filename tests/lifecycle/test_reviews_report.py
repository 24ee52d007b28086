"""The fact sheet's periodic review: status, the last review's outcome, findings and reviewer;
the portfolio report counts overdue periodic reviews on its attention list."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from portal.domain.reviews import ReviewDraft
from portal.report import render_fact_sheet
from portal.runtime import command_runtime
from portal.services.report import ReportService
from portal.services.reviews import ReviewService
from tests.conftest import sync_fake
from tests.report.facts import text_of
from tests.support.builders import OWNER
from tests.support.catalog_fixture import T0, base_registry

NOW = datetime(2026, 11, 27, 10, 0)
CHURN = "customer-churn"  # medium criticality; version 2 in production since 4 Feb 2026


@pytest.fixture
def service(settings, store):
    sync_fake(store, base_registry(), T0 + timedelta(days=30))
    return ReportService(command_runtime(settings, store))


def test_the_fact_sheet_shows_the_last_review_and_when_the_next_is_due(service):
    draft = ReviewDraft(
        "retire", "Replaced by the spring model; keep until April.", date(2027, 3, 1)
    )
    ReviewService(service.store, service.settings).record(OWNER, CHURN, draft, "k", now=NOW)
    facts = service.fact_sheet_facts(CHURN, "Rita Reader", NOW)
    assert (facts.review.due, facts.review.state, facts.review.last.outcome) == (
        date(2027, 3, 1),
        "ok",
        "retire",
    )
    english = " ".join(text_of(render_fact_sheet(facts, "en").pdf))
    assert "Next review due 1 Mar 2027 (every 6 months for a medium-criticality model)." in english
    assert (
        "Last review on 27 Nov 2026 by Anna Schmidt: the model should be retired. It looked at"
        " version 2."
    ) in english
    assert "Findings: Replaced by the spring model; keep until April." in english
    german = " ".join(text_of(render_fact_sheet(facts, "de").pdf))
    assert "Nächste Überprüfung fällig am 01.03.2027 (alle 6 Monate bei mittlerer" in german
    assert "Das Modell sollte außer Betrieb genommen werden" in german


def test_a_never_reviewed_model_is_overdue_in_both_documents(service):
    facts = service.fact_sheet_facts(CHURN, "Rita Reader", NOW)
    assert (facts.review.due, facts.review.state, facts.review.last) == (
        date(2026, 8, 4),
        "overdue",
        None,
    )
    english = " ".join(text_of(render_fact_sheet(facts, "en").pdf))
    assert "Review overdue since 4 Aug 2026, 115 day(s) ago" in english
    assert "No review recorded yet." in english
    portfolio = service.portfolio_facts("Rita Reader", NOW)
    overdue = [i for i in portfolio.attention.items if i.kind == "review_overdue"]
    assert {(i.model_name, i.since) for i in overdue} >= {(CHURN, datetime(2026, 8, 4))}
