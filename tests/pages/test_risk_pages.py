"""The risk, accountability and lineage pages, the overview's risk tiles and the card section."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from portal import clock
from portal.clock import utc_now
from portal.domain.risk import MITIGATION_MAX, AssessmentDraft, Governance
from portal.ui import data
from portal.ui.navigation import LINEAGE, MODEL_CARD, OWNERSHIP, RISK
from tests.pages.test_pages import metrics, open_page, texts
from tests.support.builders import ADMIN, OWNER, VIEWER

CHURN = "customer-churn"
RISKS = ("outage", "wrong_predictions", "decay", "knowledge_loss")


@pytest.fixture
def with_risks(app_runtime):
    """Churn: decay high (4 × 4), outage medium and overdue; house-prices: wrong predictions low.
    Churn has an executive, is EU AI Act high-risk, and one named expert."""
    service = data.risk_service()
    today = clock.today()
    service.assess(
        ADMIN,
        CHURN,
        AssessmentDraft("decay", 4, 4, "Retrain monthly.", today + timedelta(days=30)),
    )
    long_ago = utc_now() - timedelta(days=200)
    service.assess(
        ADMIN,
        CHURN,
        AssessmentDraft("outage", 2, 3, "Fallback rules.", today - timedelta(days=10)),
        now=long_ago,
    )
    service.assess(
        ADMIN,
        "house-prices",
        AssessmentDraft("wrong_predictions", 2, 2, "", today + timedelta(days=60)),
    )
    service.set_governance(
        ADMIN, CHURN, Governance("ceo@example.com", "bo@example.com", "batch", "high", "")
    )
    service.name_expert(ADMIN, CHURN, "expert@example.com")
    return service


def plain(app) -> str:
    """The page's texts without Markdown escapes."""
    return texts(app).replace("\\", "")


def chart(app, key: str) -> dict:
    """A Plotly chart's figure as the browser receives it."""
    element = next(c for c in app.get("plotly_chart") if c.proto.id and key in c.proto.id)
    return json.loads(element.proto.spec)


def cell_names(figure: dict) -> dict[tuple[int, int], str]:
    """Matrix annotations by (likelihood, impact), lines joined."""
    return {
        (a["y"], a["x"]): a["text"].replace("<br>", " ")
        for a in figure["layout"].get("annotations", [])
    }


def save_button(app, risk: str):
    buttons = [b for b in app.button if b.label in ("Save assessment", "Bewertung speichern")]
    return buttons[RISKS.index(risk)]


def form_key(risk: str, field: str, model: str = CHURN) -> str:
    return f"risk.form.{model}.{risk}.{field}"


def test_risk_page_places_models_lists_high_risks_and_flags_overdue(with_risks):
    app = open_page(RISK)
    assert app.title[0].value == "Risks"
    shown = metrics(app)
    assert shown["High risks"] == "1"
    assert shown["Overdue reviews"] == "1"
    # house-prices (legacy stage) and the German model are in production without an executive.
    assert shown["No accountable executive"] == "2"
    assert shown["Not assessed yet"] == "1"
    # Each model at its most serious assessed risk: churn's decay at 4 × 4.
    cells = cell_names(chart(app, "risk.heatmap"))
    assert cells[(4, 4)] == "customer-churn (Decay)"
    assert cells[(2, 2)] == "house-prices (Wrong predictions)"
    assert len(cells) == 2
    page = plain(app)
    assert "Not placed because not assessed yet: bare model, Kündigung Geschäftskunden" in page
    assert (
        "Review overdue: customer-churn · Outage was due on "
        f"{(clock.today() - timedelta(days=10)).day}" in page
    )
    high = app.table[0].value
    assert list(high["Risk"]) == ["Decay"]
    assert list(high["Score"]) == [16]
    assert high["Mitigation"].iloc[0] == "Retrain monthly\\."
    assert high["Accountable executive"].iloc[0] == "ceo@example\\.com"
    assert "anna\\.schmidt@example\\.com" in high["Owners"].iloc[0]
    models = app.dataframe[0].value.set_index("model")
    assert models.loc[CHURN, "decay"] == "high (16)"
    assert models.loc[CHURN, "outage"] == "medium (6) · review overdue"
    assert models.loc[CHURN, "wrong_predictions"] == "signal: low"
    assert models.loc["bare model", "worst"] == "not assessed"


def test_matrix_by_one_risk_and_filters(with_risks):
    app = open_page(RISK)
    app.button_group(key="risk.matrix_risk").set_value("outage").run()
    assert cell_names(chart(app, "risk.heatmap")) == {(2, 3): "customer-churn"}
    app.multiselect(key="risk.units").select("Business").run()
    assert metrics(app)["High risks"] == "0"
    assert "No high risk is assessed for the models shown." in plain(app)
    assert [m for m in app.dataframe[0].value["model"]] == ["Kündigung Geschäftskunden"]


def test_risk_page_in_german(with_risks):
    app = open_page(RISK, language="de")
    assert app.title[0].value == "Risiken"
    assert metrics(app)["Hohe Risiken"] == "1"
    assert cell_names(chart(app, "risk.heatmap"))[(4, 4)] == "customer-churn (Verschlechterung)"
    assert "Überprüfung überfällig: customer-churn · Ausfall" in plain(app)


def test_model_risks_show_assessment_signals_history_and_evidence(with_risks):
    data.risk_service().assess(
        ADMIN,
        CHURN,
        AssessmentDraft("decay", 5, 4, "Retrain weekly.", clock.today() + timedelta(days=20)),
    )
    app = open_page(RISK, model=CHURN)
    assert app.title[0].value == r"Risks of customer\-churn"
    page = plain(app)
    assert "Likelihood 5 – almost certain × impact 4 – major = score 20: high" in page
    assert "Review overdue: it was due on" in page
    # Signals with their reasons: no drift check, no logs, no expert reports.
    assert "No drift result to go by: no drift check has run yet." in page
    assert "No drift check has looked at the model's logged predictions yet" in page
    assert "No expert reported a wrong prediction in the last 90 days." in page
    assert "A signal suggests; only a person assesses." in page
    # History of decay: the new assessment first, the earlier one kept.
    outage, decay = (frame.value for frame in app.dataframe[:2])
    assert list(outage["score"]) == [6]
    history = decay
    assert list(history["score"]) == [20, 16]
    assert list(history["mitigation"]) == ["Retrain weekly.", "Retrain monthly."]
    # Criticality: decision mode from MLflow, EU AI Act high risk with its evidence gaps.
    assert "**Decision mode:** advisory" in page
    assert "The decision mode is set by the model team in MLflow (tag 'decision_mode')" in page
    assert "Missing evidence: logged predictions, drift monitoring." in page
    assert "A person oversees the decisions" in page
    # Named experts are shown by name (here unknown to the directory: the address itself).
    assert "expert@example.com" in [m.value.replace("\\", "") for m in app.markdown]


def test_signals_read_drift_results(app_runtime, settings):
    from tests.support.drift_fixtures import fill_drift_results

    fill_drift_results(app_runtime.store, settings)
    app = open_page(RISK, model=CHURN)
    page = plain(app)
    assert "The newest drift check says the data has changed a lot (drifting)." in page
    assert "No drift result to go by" not in page


def test_owner_assesses_a_risk_and_sees_it_saved(signed_in, with_risks):
    signed_in(OWNER)
    app = open_page(RISK, model=CHURN)
    app.selectbox(key=form_key("knowledge_loss", "likelihood")).set_value(3)
    app.selectbox(key=form_key("knowledge_loss", "impact")).set_value(4)
    app.text_area(key=form_key("knowledge_loss", "mitigation")).input("Pair programming.")
    save_button(app, "knowledge_loss").click().run()
    assert not app.exception
    assert "Assessment of 'Knowledge loss' saved." in plain(app)
    current = data.risk_service().model(CHURN).assessments["knowledge_loss"]
    assert (current.score, current.mitigation, current.assessed_by) == (
        12,
        "Pair programming.",
        OWNER.email,
    )


def test_bad_assessment_is_refused_with_messages_and_keeps_the_input(with_risks):
    app = open_page(RISK, model=CHURN)
    app.text_area(key=form_key("knowledge_loss", "mitigation")).input("Document the pipeline.")
    app.date_input(key=form_key("knowledge_loss", "next_review")).set_value(
        clock.today() - timedelta(days=1)
    )
    save_button(app, "knowledge_loss").click().run()
    errors = [element.value for element in app.error]
    assert "Likelihood: please choose a value from 1 to 5." in errors
    assert "Impact: please choose a value from 1 to 5." in errors
    assert "Next review: please choose a date after today." in errors
    assert app.text_area(key=form_key("knowledge_loss", "mitigation")).value == (
        "Document the pipeline."
    )
    assert "knowledge_loss" not in data.risk_service().model(CHURN).assessments


def test_bad_assessment_in_german(with_risks, monkeypatch):
    # AppTest formats the selected options of every selectbox again outside the script run,
    # where the session's language is unknown: pin it for the whole test.
    monkeypatch.setattr("portal.ui.session.language", lambda: "de")
    monkeypatch.setattr("portal.ui.risk_sections.language", lambda: "de")
    app = open_page(RISK, language="de", model=CHURN)
    mitigation = app.text_area(key=form_key("knowledge_loss", "mitigation"))
    assert mitigation.max_chars == MITIGATION_MAX  # the browser stops typing at the limit
    mitigation.set_value("x" * (MITIGATION_MAX + 1))
    save_button(app, "knowledge_loss").click().run()
    errors = [element.value for element in app.error]
    assert "Wahrscheinlichkeit: Bitte wählen Sie einen Wert von 1 bis 5." in errors
    # Streamlit cuts what a client sends at max_chars; the domain rule still refuses more.
    assert not [error for error in errors if error.startswith("Gegenmaßnahme")]
    assert app.text_area(key=form_key("knowledge_loss", "mitigation")).value == "x" * MITIGATION_MAX


def test_viewer_sees_risks_without_forms(signed_in, with_risks):
    signed_in(VIEWER)
    app = open_page(RISK, model=CHURN)
    assert "Only the model's owners and administrators can assess its risks." in plain(app)
    assert not [b for b in app.button if b.label in ("Save assessment", "Save", "Remove")]


def test_governance_form_refuses_a_bad_address_then_saves(with_risks):
    app = open_page(RISK, model="house-prices")
    prefix = "risk.governance.house-prices"
    app.text_input(key=f"{prefix}.executive").input("the boss")
    app.selectbox(key=f"{prefix}.category").set_value("high")
    next(b for b in app.button if b.label == "Save").click().run()
    assert [e.value for e in app.error] == [
        "Accountable executive: please enter an e-mail address such as name@example.com."
    ]
    assert app.text_input(key=f"{prefix}.executive").value == "the boss"
    assert data.risk_service().model("house-prices").governance.accountable_executive == ""
    app.text_input(key=f"{prefix}.executive").input("cfo@example.com")
    next(b for b in app.button if b.label == "Save").click().run()
    assert "Accountability and criticality saved." in plain(app)
    page = plain(app)
    assert "**EU AI Act category:** high risk" in page
    # house-prices: undocumented fields, no logs, no monitoring, no decision mode.
    assert (
        "Missing evidence: complete documentation, logged predictions, drift monitoring, "
        "human oversight." in page
    )


def test_experts_are_named_and_removed(with_risks):
    app = open_page(RISK, model=CHURN)
    app.text_input(key=f"risk.expert_email.{CHURN}").input("not an address")
    next(b for b in app.button if b.label == "Name as domain expert").click().run()
    assert "E-mail address: please enter an e-mail address such as name@example.com." in [
        e.value for e in app.error
    ]
    app.text_input(key=f"risk.expert_email.{CHURN}").input("Lisa.Lang@example.com")
    next(b for b in app.button if b.label == "Name as domain expert").click().run()
    assert "lisa.lang@example.com is now named as a domain expert." in plain(app)
    app.button(key=f"risk.expert_remove.{CHURN}.expert@example.com").click().run()
    assert "expert@example.com is no longer named as a domain expert." in plain(app)
    assert data.risk_service().model(CHURN).experts == ("lisa.lang@example.com",)


def test_unknown_model(app_runtime):
    app = open_page(RISK, model="nope")
    assert "There is no model called 'nope'." in plain(app)


def test_my_models_and_the_ownership_views(signed_in, with_risks):
    signed_in(OWNER)
    app = open_page(OWNERSHIP)
    assert app.title[0].value == "Accountability"
    mine, people, teams, processes, sources = (app.dataframe[i].value for i in range(5))
    assert list(zip(mine["model"], mine["role"], mine["worst"], strict=True)) == [
        (CHURN, "technical owner", "high")
    ]
    assert list(mine["overdue"]) == [1]
    roles = set(zip(people["person"], people["role"], people["model"], strict=True))
    assert ("ceo@example.com", "accountable executive", CHURN) in roles
    assert ("bo@example.com", "business owner", CHURN) in roles
    assert ("expert@example.com", "domain expert", CHURN) in roles
    assert ("Retention analytics", CHURN) in set(zip(teams["group"], teams["model"], strict=True))
    by_process = processes[processes["group"] == "Customer retention"]
    assert list(by_process["model"]) == [CHURN, "Kündigung Geschäftskunden"]
    assert list(by_process["executive"]) == ["ceo@example.com", "nobody named"]
    assert set(zip(sources["group"], sources["model"], strict=True)) == {
        ("billing.invoices", CHURN),
        ("crm.contracts", CHURN),
    }
    app.selectbox(key="ownership.person").set_value("ceo@example.com").run()
    assert list(app.dataframe[1].value["model"]) == [CHURN]


def test_local_user_is_told_why_my_models_is_empty(with_risks):
    app = open_page(OWNERSHIP, language="de")
    assert "Die Anmeldung ist nicht eingerichtet" in plain(app)


def test_lineage_from_a_process_and_the_blast_radius_of_a_source(with_risks):
    app = open_page(LINEAGE)
    assert app.selectbox(key="lineage.process").value == "Customer retention"
    process = chart(app, "lineage.process_chart")["data"][0]
    labels = process["node"]["label"]
    assert {"Customer retention", CHURN, "Kündigung Geschäftskunden", "crm.contracts"} <= set(
        labels
    )
    assert "Version 2 (in production)" in labels
    page = plain(app)
    assert "**customer-churn** · Version 2 (in production)" in page
    app.selectbox(key="lineage.source").set_value("billing.invoices").run()
    assert metrics(app)["Models affected"] == "1"
    assert metrics(app)["Accountable executives"] == "1"
    blast = chart(app, "lineage.blast_chart")["data"][0]["node"]["label"]
    assert blast == ["billing.invoices", CHURN, "Customer retention", "ceo@example.com"]
    table = next(d.value for d in app.dataframe if "executive" in d.value.columns)
    assert list(zip(table["model"], table["executive"], strict=True)) == [
        (CHURN, "ceo@example.com")
    ]
    page = plain(app)
    assert "- Customer retention" in page
    assert "- ceo@example.com" in page


def test_overview_tiles_and_card_section(with_risks):
    app = open_page()
    shown = metrics(app)
    assert (shown["High risks"], shown["Overdue reviews"], shown["No accountable executive"]) == (
        "1",
        "1",
        "2",
    )
    card = open_page(MODEL_CARD, model=CHURN)
    assert "Risks and accountability" in [s.value for s in card.subheader]
    risks = next(t.value for t in card.table if "Risk" in t.value.columns).set_index("Risk")
    assert risks.loc["Decay", "Assessed"] == "high (16)"
    assert risks.loc["Knowledge loss", "Assessed"] == "not assessed"
    page = plain(card)
    assert "**Accountable executive:** ceo@example.com" in page
    assert "1 review(s) overdue." in page
    assert "Missing evidence: logged predictions, drift monitoring." in page


def test_card_section_in_german(with_risks):
    card = open_page(MODEL_CARD, language="de", model=CHURN)
    risks = next(t.value for t in card.table if "Risiko" in t.value.columns).set_index("Risiko")
    assert risks.loc["Verschlechterung", "Bewertet"] == "hoch (16)"
