"""A manager downloads the portfolio report and a model's fact sheet in the browser."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import screenshot, settle
from tests.browser.test_flows import ERRORS, open_page

pytestmark = [pytest.mark.browser, pytest.mark.server]


def download(page, label: str) -> tuple[str, str, int]:
    """Press a PDF button, then the button that saves the PDF made; return the suggested file
    name, the PDF's text and its pages."""
    settle(page)
    page.get_by_role("button", name=label).click()
    save = page.get_by_role("button", name="Save the PDF")
    save.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as pending:
        save.click()
    saved = pending.value
    data = Path(saved.path()).read_bytes()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return (
        saved.suggested_filename,
        "\n".join(p.extract_text() for p in reader.pages),
        len(reader.pages),
    )


def test_portfolio_report_and_fact_sheet_download(page, portal_url, awkward_sqlite_store):
    names = sorted(awkward_sqlite_store.registry.versions)
    open_page(page, f"{portal_url}/")
    expect(page.get_by_text("No portfolio report yet")).to_be_visible()
    screenshot(page, "report-overview-button")
    # Every model's row is the appendix the checkbox beside the button asks for.
    page.get_by_text("With every model as an appendix").click()
    file_name, text, pages = download(page, "Portfolio report (PDF)")
    assert file_name.startswith("portfolio-report_") and file_name.endswith(".pdf")
    assert pages >= 2 and "Appendix: every model" in text
    plain = [name for name in names if name.isascii() and name.replace("-", "").isalnum()]
    # Long names wrap in table cells at a hyphen: compare without the line breaks.
    flat = "".join(text.split())
    assert plain and all(name in flat for name in plain)
    assert "Local user" in text  # who generated it: the embedded mode's single user

    # The overview now names the report just made; the next one will compare with it.
    page.reload()
    page.locator("h1").first.wait_for()
    expect(page.get_by_text("Previous portfolio report:")).to_be_visible()

    name = plain[0]
    open_page(page, f"{portal_url}/model?model={quote(name)}")
    file_name, text, pages = download(page, "Fact sheet (PDF)")
    assert file_name.startswith("fact-sheet_") and name in text
    assert 1 <= pages <= 3
    assert page.locator(ERRORS).count() == 0
    screenshot(page, "report-card-button")
