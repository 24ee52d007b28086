"""Cost in the PDFs: the fact sheet's running cost and net value, the portfolio's net value,
ROI and the models costing more than they bring, by name, in English and German."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from portal.runtime import command_runtime
from portal.services.report import ReportService
from portal.services.value import ValueService
from tests.conftest import sync_fake
from tests.support.builders import ADMIN, OWNER, READER, RETENTION_RATE, kpi_file
from tests.support.catalog_fixture import T0, base_registry

NOW = datetime(2026, 11, 27, 10, 0)
MONTHS = ("2026-08", "2026-09", "2026-10")


@pytest.fixture
def service(settings, store):
    sync_fake(store, base_registry(), T0 + timedelta(days=30))
    values = ValueService(store, settings)
    values.set_benchmark(OWNER, "customer-churn", RETENTION_RATE, now=NOW)
    rates = zip(MONTHS, (74.5, 75.5, 72), strict=True)
    rows = [("customer-churn", "retention rate", m, v) for m, v in rates]
    rows += [("customer-churn", "running_cost", m, 5_000) for m in MONTHS]
    assert values.load_kpis(ADMIN, kpi_file(rows), "kpis.csv", "cli", now=NOW).loaded
    return ReportService(command_runtime(settings, store))


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_fact_sheet_shows_running_cost_and_net_value(service):
    facts = service.fact_sheet_facts("customer-churn", "Rita Reader", NOW)
    assert facts.model_return.realized == 10_800 and facts.model_return.net == -4_200
    english = _text(service.fact_sheet(READER, "customer-churn", "en", NOW).pdf)
    assert "Running cost in August – October 2026: 15,000 EUR (5,000 EUR a month)." in english
    assert "Net value: -4,200 EUR." in english
    german = _text(service.fact_sheet(READER, "customer-churn", "de", NOW).pdf)
    assert "Nettowert: -4.200 EUR." in german


def test_the_portfolio_names_the_model_costing_more_than_it_brings(service):
    facts = service.portfolio_facts("Rita Reader", NOW)
    assert facts.returns.roi == pytest.approx(-4_200 / 15_000)
    report = service.portfolio(READER, "en", now=NOW)
    english = _text(report.pdf)
    assert "Net value in August – October 2026: -4,200 EUR" in english
    assert "Return on investment (ROI): -28 %." in english
    assert "Costing more than they bring: customer-churn (-4,200 EUR)." in english
    assert report.pages <= 6
    assert "Kapitalrendite (ROI): -28 %." in _text(service.portfolio(READER, "de", now=NOW).pdf)
