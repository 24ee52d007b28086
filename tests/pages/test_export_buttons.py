"""The PDF buttons on the overview and the model card, and what they run when pressed."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from portal.domain.report import Snapshot
from portal.errors import ReportUnavailable
from portal.store.report_repo import ReportRepository
from portal.ui.export_sections import pdf_maker
from portal.ui.navigation import MODEL_CARD
from tests.pages.test_pages import open_page
from tests.support.builders import READER


def buttons(app) -> dict[str, object]:
    return {button.label: button for button in app.button}


def record_portfolio(store, at: datetime, by: str) -> None:
    with store.transaction() as tx:
        ReportRepository.insert(
            tx,
            {
                "kind": "portfolio",
                "model_name": None,
                "language": "en",
                "generated_at": at,
                "generated_by": "rita@example.com",
                "generated_by_name": by,
                "snapshot_json": Snapshot(at, ()).to_json(),
                "pages": 2,
                "size_bytes": 1000,
                "sha256": "0" * 64,
            },
        )


def test_overview_offers_the_portfolio_report_and_says_none_was_made_yet(app_runtime):
    app = open_page()
    assert "Portfolio report (PDF)" in buttons(app)
    assert app.get("download_button") == []  # made on click, not while the page draws
    assert any("No portfolio report yet" in c.value for c in app.caption)


def test_overview_names_the_previous_report_in_german(app_runtime):
    record_portfolio(app_runtime.store, datetime(2026, 11, 20, 14, 5), "Rita Reader")
    app = open_page(language="de")
    assert "Portfolio-Bericht (PDF)" in buttons(app)
    assert any(
        c.value.startswith("Letzter Portfolio-Bericht: 20.11.2026") and "Rita Reader" in c.value
        for c in app.caption
    )


def test_model_card_offers_its_fact_sheet(app_runtime):
    app = open_page(MODEL_CARD, model="Kündigung Geschäftskunden")
    assert "Fact sheet (PDF)" in buttons(app) and app.get("download_button") == []
    de = open_page(MODEL_CARD, language="de", model="customer-churn")
    assert "Steckbrief (PDF)" in buttons(de)


def test_the_button_makes_and_records_the_pdf_when_pressed(app_runtime):
    make = pdf_maker(app_runtime, READER, "de", "customer-churn")
    pdf = make()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "customer-churn" in text and "Rita Reader" in text
    (recorded,) = ReportRepository(app_runtime.store).recent()
    assert (recorded["kind"], recorded["language"]) == ("fact_sheet", "de")
    portfolio = pdf_maker(app_runtime, READER, "en", None)()
    assert portfolio.startswith(b"%PDF")
    assert ReportRepository(app_runtime.store).recent()[0]["kind"] == "portfolio"


def test_a_model_removed_before_the_press_gives_a_clear_error(app_runtime):
    with pytest.raises(ReportUnavailable):
        pdf_maker(app_runtime, READER, "en", "gone since the page was drawn")()
    assert ReportRepository(app_runtime.store).recent() == []


def test_the_appendix_checkbox_beside_the_portfolio_button_adds_every_model(app_runtime):
    app = open_page()
    (appendix,) = [box for box in app.checkbox if box.key == "export.portfolio.appendix"]
    assert appendix.label == "With every model as an appendix" and appendix.value is False
    app.button(key="export.portfolio.en").click().run()
    assert not app.exception and app.get("download_button")
    board = ReportRepository(app_runtime.store).recent()[0]
    app.checkbox(key="export.portfolio.appendix").check().run()
    app.button(key="export.portfolio.en").click().run()
    assert not app.exception and app.get("download_button")
    with_appendix = ReportRepository(app_runtime.store).recent()[0]
    assert with_appendix["id"] != board["id"]
    assert with_appendix["pages"] > board["pages"]


def test_the_appendix_checkbox_speaks_german(app_runtime):
    app = open_page(language="de")
    labels = [box.label for box in app.checkbox if box.key == "export.portfolio.appendix"]
    assert labels == ["Mit allen Modellen als Anhang"]
    assert pdf_maker(app_runtime, READER, "de", None, appendix=True)().startswith(b"%PDF")
