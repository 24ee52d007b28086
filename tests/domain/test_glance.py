"""A model at a glance, put together from its card, risks, drift check, value and feedback."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime

from portal.domain.catalog import ModelCard
from portal.domain.drift import ModelDrift
from portal.domain.glance import GlanceMoney, WorstRisk, glance_of, worst_risk
from portal.domain.risk import Assessment, Governance, ModelRisk, Reason, Signal
from portal.domain.value import (
    Benchmark,
    KpiValue,
    Thresholds,
    month_values,
    portfolio_of,
    summarize,
)

FIRST, LAST = date(2026, 8, 1), date(2026, 10, 1)
MONTHS = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
SINCE = datetime(2026, 2, 14, 9, 0)


def card(version: int | None = 2, owner: str = "anna@example.com") -> ModelCard:
    return ModelCard(
        name="churn",
        description="",
        tags={"owner": owner} if owner else {},
        data_sources=(),
        documentation_score=0.7,
        documentation_gaps=("limitations", "intended_use", "data_sources"),
        is_demo=False,
        production_version=version,
        production_marker="champion" if version else None,
        production_since=SINCE if version else None,
        first_seen_at=datetime(2026, 1, 1),
        history=(),
        described_version=version,
        versions=(),
        metrics=(),
        lineage=None,
    )


def assessment(risk: str, likelihood: int, impact: int, level: str) -> Assessment:
    return Assessment(
        1,
        "churn",
        risk,
        likelihood,
        impact,
        likelihood * impact,
        level,
        "",
        date(2027, 1, 1),
        False,
        "anna@example.com",
        "Anna",
        datetime(2026, 10, 1),
    )


def model_risk(assessments=(), signals=()) -> ModelRisk:
    return ModelRisk(
        name="churn",
        in_production=True,
        business_process="Retention",
        business_unit="Sales",
        decision_mode="advisory",
        technical_owners=("anna@example.com", "ben@example.com"),
        team="Data",
        data_sources=(),
        governance=Governance("cleo@example.com", "bob@example.com", "", "", ""),
        experts=(),
        assessments={a.risk: a for a in assessments},
        signals={s.risk: s for s in signals},
        evidence=(),
    )


def drift(light_status: str = "drifting") -> ModelDrift:
    values = {f.name: None for f in fields(ModelDrift)}
    values.update(
        model_name="churn",
        model_version=2,
        check_id=1,
        outcome="checked",
        reason="",
        detail="",
        status=light_status,
        checked_at=datetime(2026, 11, 20, 6, 0),
        top_changed_inputs=(),
        added_columns=(),
        has_report=True,
    )
    return ModelDrift(**values)


def kpi(observed: dict[date, float], money: float | None = 50.0, model: str = "churn"):
    versions = [Benchmark(0.0, 370.0, "higher", "sum", date(2026, 1, 1), money)]
    values = month_values(observed, versions, MONTHS)
    summary = summarize(values, "sum", Thresholds())
    return KpiValue(
        model,
        "customers kept",
        "customers",
        "higher",
        "sum",
        "Sales",
        "Retention",
        0.0,
        370.0,
        1,
        summary,
        tuple(values),
    )


def test_the_highest_assessed_risk_is_the_worst():
    model = model_risk(
        [
            assessment("outage", 2, 2, "low"),
            assessment("decay", 3, 4, "high"),
            assessment("wrong_predictions", 4, 4, "high"),
        ],
        [Signal("knowledge_loss", "high", (Reason("knowledge.single_person"),))],
    )
    # An owner's assessment counts before a signal; the larger score decides among equals.
    assert worst_risk(model) == WorstRisk("wrong_predictions", "high", True, 16)


def test_without_assessments_the_strongest_signal_is_the_worst():
    model = model_risk(
        signals=[
            Signal("outage", "medium", ()),
            Signal("decay", "high", ()),
            Signal("knowledge_loss", "high", ()),
        ]
    )
    # Two high signals: the first in the order of risks.
    assert worst_risk(model) == WorstRisk("decay", "high", False)
    assert worst_risk(model_risk(signals=[Signal("outage", "low", ())])) is None
    assert worst_risk(None) is None


def test_money_per_month_counts_only_months_with_data():
    # 312 and 350 kept in two of three months, at 50 EUR each, promised 370 a month.
    value = portfolio_of(FIRST, LAST, [kpi({MONTHS[0]: 312.0, MONTHS[2]: 350.0})])
    glance = glance_of(card(), model_risk(), drift(), value, 2, 5)
    assert glance.money == GlanceMoney(FIRST, LAST, 33100.0, 37000.0, 2)
    assert glance.money.realized_per_month == 16550.0
    assert glance.money.promised_per_month == 18500.0
    assert round(glance.money.attainment, 3) == 0.895
    assert glance.value_status == "at_risk" and glance.kpis == 1


def test_the_glance_holds_the_facts_the_card_opens_with():
    value = portfolio_of(FIRST, LAST, [kpi({m: 100.0 for m in MONTHS}), kpi({}, model="other")])
    risk = model_risk([assessment("outage", 2, 3, "medium")])
    glance = glance_of(card(), risk, drift(), value, 2, 5, {"cleo@example.com": "Cleo Chef"})
    assert (glance.production_version, glance.production_since) == (2, SINCE)
    assert glance.health == "drifting" and glance.checked_at == datetime(2026, 11, 20, 6, 0)
    assert glance.worst_risk == WorstRisk("outage", "medium", True, 6)
    assert glance.accountable_executive == "cleo@example.com"
    assert glance.name_of("cleo@example.com") == "Cleo Chef"
    assert glance.name_of("bob@example.com") == "bob@example.com"  # unknown: the address
    assert glance.business_owner == "bob@example.com"
    assert glance.technical_owners == ("anna@example.com", "ben@example.com")
    assert glance.people == (
        "cleo@example.com",
        "bob@example.com",
        "anna@example.com",
        "ben@example.com",
    )
    assert (glance.open_feedback, glance.feedback_total) == (2, 5)
    assert (glance.documentation_score, glance.documentation_gaps) == (0.7, 3)
    # Only this model's KPIs count: 'other' has no observations and is not counted.
    assert glance.kpis == 1 and glance.money.realized == 3 * 100 * 50.0
    assert glance.value_status == "off_track"


def test_a_model_not_in_production_has_no_health_and_no_money_without_a_promise():
    value = portfolio_of(FIRST, LAST, [])
    glance = glance_of(card(version=None), None, drift(), value, 0, 0)
    assert not glance.in_production
    assert glance.health == "" and glance.checked_at is None
    assert glance.value_status == "" and glance.kpis == 0
    assert glance.money.realized is None and glance.money.realized_per_month is None
    assert glance.worst_risk is None
    # Without a risk record the technical owner comes from the registry's tag.
    assert glance.technical_owners == ("anna@example.com",)
    assert glance.accountable_executive == "" and glance.name_of("") == ""


def test_a_production_model_never_checked_is_not_monitored():
    glance = glance_of(card(), model_risk(), None, portfolio_of(FIRST, LAST, []), 0, 0)
    assert glance.health == "not_monitored" and glance.checked_at is None


def test_a_kpi_without_money_per_unit_leaves_the_money_open():
    value = portfolio_of(FIRST, LAST, [kpi({MONTHS[0]: 300.0}, money=None)])
    glance = glance_of(card(), model_risk(), drift(), value, 0, 0)
    assert glance.kpis == 1 and glance.value_status == "at_risk"  # 300 of 370: 81 %
    assert glance.money.realized is None and glance.money.months_with_money == 0
