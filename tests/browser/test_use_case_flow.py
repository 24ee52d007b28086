"""A use case is proposed in the browser and shows in the list, waiting for its approval."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.server]

TITLE = "Route claims to the right handler"


def test_proposing_a_use_case_puts_it_in_the_list(page, portal_url):
    page.goto(f"{portal_url}/use-cases")
    settle(page)
    expect(page.get_by_role("heading", name="Use cases", exact=True)).to_be_visible()
    proposal = page.locator('[data-testid="stExpander"]').filter(has_text="Propose a use case")
    proposal.locator("summary").click()
    form = proposal.locator('[data-testid="stForm"]')
    form.get_by_role("textbox", name="Short name (key)").fill("claims triage")  # a space: refused
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("The business question").fill("Which team should handle a claim?")
    form.get_by_label("Business owner (e-mail)").fill("tobias.wolf@example.com")
    form.get_by_role("button", name="Propose").click()
    settle(page)
    expect(page.get_by_text("words joined by hyphens (e.g. invoice-fraud)")).to_be_visible()
    expect(form.get_by_label("Title")).to_have_value(TITLE)  # what was typed stays

    form.get_by_role("textbox", name="Short name (key)").fill("claims-triage")
    form.get_by_role("button", name="Propose").click()
    settle(page)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("is proposed and waits for its design approval")).to_be_visible()
    assert "use_case=claims-triage" in page.url
    screenshot(page, "use-case-proposed")

    page.goto(f"{portal_url}/use-cases")
    settle(page)
    proposed = page.locator('[data-testid="stMetric"]').filter(has_text="Proposed")
    expect(proposed).to_contain_text("1")
    page.get_by_label("Search by title, process, person or model").fill("claims")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_text("Showing 1 of 1 use cases.")).to_be_visible()
