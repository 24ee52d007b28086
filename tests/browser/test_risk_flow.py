"""An owner assesses a risk in the browser and sees the model move in the risk matrix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, choose, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.server]

MODEL = "churn-model"
MATRIX_LABELS = '[data-testid="stPlotlyChart"] .annotation-text'


def test_assessing_a_risk_places_the_model_in_the_matrix(page, portal_url):
    page.goto(f"{portal_url}/risk")
    settle(page)
    expect(page.get_by_role("heading", name="Risk matrix")).to_be_visible()
    expect(page.locator(MATRIX_LABELS).filter(has_text=MODEL)).to_have_count(0)

    page.goto(f"{portal_url}/risk?model={MODEL}")
    settle(page)
    expect(page.get_by_role("heading", name=f"Risks of {MODEL}")).to_be_visible()
    # The four risks in order: outage, wrong predictions, decay, knowledge loss.
    decay = page.locator('[data-testid="stExpander"]').filter(has_text="Assess this risk").nth(2)
    decay.locator("summary").click()
    form = decay.locator('[data-testid="stForm"]')
    choose(page, form.locator('[data-testid="stSelectbox"]').nth(0), "4 – likely")
    choose(page, form.locator('[data-testid="stSelectbox"]').nth(1), "5 – severe")
    form.get_by_label("Mitigation").fill("Retrain monthly; drift alerts to the team.")
    form.get_by_role("button", name="Save assessment").click()
    settle(page)
    expect(page.get_by_text("Assessment of 'Decay' saved.")).to_be_visible(timeout=WAIT_MS)
    expect(
        page.get_by_text("Likelihood 4 – likely × impact 5 – severe = score 20: high")
    ).to_be_visible()

    page.goto(f"{portal_url}/risk")
    settle(page)
    label = page.locator(MATRIX_LABELS).filter(has_text=MODEL)
    expect(label).to_have_count(1)
    expect(label).to_contain_text("(Decay)")
    high = page.locator('[data-testid="stMetric"]').filter(has_text="High risks")
    expect(high).to_contain_text("1")
    screenshot(page, "risk-matrix-after-assessment")
