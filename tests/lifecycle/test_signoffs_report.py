"""Sign-offs in the PDFs: the fact sheet's history, the portfolio's waiting sign-offs and gaps."""

from __future__ import annotations

from datetime import timedelta

from portal.domain.signoffs import Subject
from portal.report import render_fact_sheet, render_portfolio
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.report import ReportService
from portal.services.signoffs import SignOffService
from tests.lifecycle.signoffs_fixture import AT, BUSINESS_OWNER, add_use_case
from tests.report.facts import text_of
from tests.support.builders import OWNER


def test_fact_sheet_and_portfolio_show_signoffs(filled_store, settings):
    add_use_case(filled_store)
    signoffs = SignOffService(filled_store, settings)
    version = Subject(model_name="customer-churn", version=2)
    signoffs.sign(
        OWNER, "evaluation", version, "technical_owner", "approved", "Pilot only", "", "k1", AT
    )
    signoffs.sign(
        BUSINESS_OWNER,
        "evaluation",
        version,
        "business_owner",
        "rejected",
        "",
        "Accuracy below target",
        "k2",
        AT + timedelta(hours=1),
    )
    service = ReportService(Runtime(settings, filled_store, Scheduler(lambda request: None, 60)))
    now = AT + timedelta(days=1)
    sheet = service.fact_sheet_facts("customer-churn", "Test User", now)
    assert [r.decision for r in sheet.signoffs] == ["rejected", "approved"]
    english = " ".join(text_of(render_fact_sheet(sheet, "en").pdf))
    assert "Sign-offs" in english
    assert "Sophie Wagner" in english and "Accuracy below target" in english
    assert "Evaluation acceptance · Version 2" in english
    german = " ".join(text_of(render_fact_sheet(sheet, "de").pdf))
    assert "Freigaben" in german and "Abgelehnt" in german

    portfolio = service.portfolio_facts("Test User", now)
    assert portfolio.signoffs.waiting == 1  # the design; the evaluation was rejected
    assert [(g.model_name, g.version) for g in portfolio.signoffs.unapproved] == [
        ("customer-churn", 2)
    ]
    pdf = " ".join(text_of(render_portfolio(portfolio, "en").pdf))
    assert "1 sign-off waits for a decision." in pdf
    assert "Call customers before they cancel: Design approval" in pdf
    assert "customer-churn, version 2, since" in pdf
