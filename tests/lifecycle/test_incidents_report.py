"""Incidents in the PDFs: the fact sheet lists the open ones with the EU AI Act deadline, the
portfolio report counts them and names the most serious."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from portal.domain.incidents import IncidentDraft
from portal.domain.risk import Governance
from portal.runtime import command_runtime
from portal.services.incidents import IncidentService
from portal.services.report import ReportService
from portal.services.risk import RiskService
from tests.conftest import fill_base_history
from tests.support.builders import OWNER, READER, VIEWER
from tests.support.catalog_fixture import T0

NOW = T0 + timedelta(days=60)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_both_documents_show_open_incidents(settings, store):
    fill_base_history(store)
    RiskService(store, settings).set_governance(
        OWNER, "customer-churn", Governance("", "", "", "high", "")
    )
    incidents = IncidentService(store, settings)
    incidents.report(
        VIEWER,
        IncidentDraft(
            "customer-churn",
            NOW - timedelta(days=2),
            "wrong_predictions",
            "serious",
            "Loyal customers flagged as leaving",
            "Customers of twenty years get a churn score above 0.9.",
        ),
        "k",
        now=NOW - timedelta(days=1),
    )
    reports = ReportService(command_runtime(settings, store))
    sheet = pdf_text(reports.fact_sheet(READER, "customer-churn", "en", NOW).pdf)
    assert "Open incidents" in sheet
    assert "INC-1" in sheet and "Loyal customers flagged as leaving" in sheet
    due = (NOW - timedelta(days=1)).date() + timedelta(days=15)
    assert f"authority by {due.day} Mar 2026" in sheet
    german = pdf_text(reports.fact_sheet(READER, "customer-churn", "de", NOW).pdf)
    assert "Offene Vorfälle" in german and "Schwerwiegend" in german
    portfolio = pdf_text(reports.portfolio(READER, "en", NOW).pdf)
    assert "1 incident(s) not yet closed." in portfolio
    assert "customer-churn: INC-1 (Open, Serious)" in portfolio
