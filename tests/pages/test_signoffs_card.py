"""The model card's sign-off section: targets next to run metrics, the forms, the history."""

from __future__ import annotations

import pytest

from portal.ui.navigation import MODEL_CARD
from tests.lifecycle.signoffs_fixture import add_use_case
from tests.pages.test_pages import open_page, texts
from tests.support.builders import OWNER, VIEWER


@pytest.fixture
def serving(app_runtime):
    """customer-churn serves a proposed use case with ROC AUC ≥ 0.85 and accuracy ≥ 0.9."""
    add_use_case(app_runtime.store)
    return app_runtime


def _evidence(app):
    table = next(t.value for t in app.table if "Key metric" in t.value.columns)
    return {
        row["Key metric"]: (
            row["Target (from the design)"],
            row["This version measured"],
            row["Target met?"],
        )
        for _, row in table.iterrows()
    }


def test_the_card_sets_targets_next_to_the_versions_run_metrics(serving, signed_in):
    signed_in(OWNER)
    app = open_page(MODEL_CARD, model="customer-churn")
    shown = texts(app)
    assert "Evaluation acceptance of version 2" in shown
    assert "Call customers before they cancel" in shown
    assert _evidence(app) == {
        "Ranking quality (roc\\_auc)": ("at least 85.0 %", "90.0 %", "Met"),
        "Share of cases right (accuracy)": ("at least 90.0 %", "86.0 %", "Not met"),
    }
    assert "Still missing: Business owner (sophie\\.wagner@example\\.com)" in shown
    assert "Go-live approval of version 2" in shown
    # The technical owner signs as technical owner: the only role offered.
    form = next(s for s in app.selectbox if s.label == "I decide as")
    assert form.options == ["Technical owner"]


def test_the_technical_owner_accepts_and_the_history_shows_it(serving, signed_in):
    signed_in(OWNER)
    app = open_page(MODEL_CARD, model="customer-churn")
    app.text_area[0].input("Only for the pilot region.")
    app.button[[b.label for b in app.button].index("Record my decision")].click().run()
    assert not app.exception
    shown = texts(app)
    assert "Your approval is recorded." in shown
    assert "Still missing: Business owner" in shown
    assert "Technical owner (" not in shown
    history = next(t.value for t in app.table if "Decision" in t.value.columns)
    assert list(history["Who"]) == ["Anna Schmidt"]
    assert list(history["Decision"]) == ["Approved"]
    assert "Only for the pilot region" in history["Conditions and comment"].iloc[0]


def test_a_viewer_sees_the_state_but_no_form(serving, signed_in):
    signed_in(VIEWER)
    app = open_page(MODEL_CARD, model="customer-churn")
    assert "Evaluation acceptance of version 2" in texts(app)
    assert "I decide as" not in [s.label for s in app.selectbox]


def test_the_section_in_german(serving, signed_in):
    signed_in(OWNER)
    app = open_page(MODEL_CARD, language="de", model="customer-churn")
    shown = texts(app)
    assert "Abnahme der Version 2 (Evaluation)" in shown
    assert "Es fehlt noch: Fachverantwortliche Person" in shown
    table = next(t.value for t in app.table if "Ziel erreicht?" in t.value.columns)
    assert set(table["Ziel erreicht?"]) == {"Erreicht", "Nicht erreicht"}
    assert "Güte der Rangfolge (roc\\_auc)" in list(table["Kennzahl"])
    assert "mindestens 85,0 %" in list(table["Ziel (aus dem Entwurf)"])
    # The production ledger says, per period, whether the version was approved at go-live.
    ledger = next(t.value for t in app.table if "Freigabe des Produktivstarts" in t.value.columns)
    assert set(ledger["Freigabe des Produktivstarts"]) == {"Nicht freigegeben"}
