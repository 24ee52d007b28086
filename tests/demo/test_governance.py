"""The demo's governance seed, on a store synced from a registry shaped like the demo catalog."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from portal.demo.catalog import MODELS
from portal.demo.governance import (
    ASSESSMENTS,
    EXPERTS,
    GOVERNANCE,
    OWNERS,
    seed_demo_governance,
)
from portal.domain.risk import check_assessment
from portal.services.audit import AuditFilter, AuditService
from portal.services.identity import LOCAL_USER
from portal.services.risk import RiskService
from portal.sources.mlflow_records import RegistrySnapshot, SourceModel
from tests.conftest import sync_fake
from tests.support.catalog_fixture import T0, FakeSource, run, version

NOW = datetime(2026, 11, 27, 12, 0)
ASSESSED = {
    "customer-churn",
    "credit-default-risk",
    "employee-attrition",
    "transit-ridership-forecast",
    "property-valuation",
}


def demo_like_registry() -> FakeSource:
    """Every demo model with its tags, one version, in production as in the demo catalog."""
    models, versions, runs = [], [], {}
    for spec in MODELS:
        live = any(change.kind in ("alias", "stage") for change in spec.changes)
        aliases = {"champion": 1} if live else {}
        models.append(SourceModel(spec.name, spec.description, T0, T0, dict(spec.tags), aliases))
        versions.append(version(spec.name, 1, f"run-{spec.slug}"))
        runs[f"run-{spec.slug}"] = replace(
            run(f"run-{spec.slug}", T0), user=spec.versions[-1].author
        )
    return FakeSource(RegistrySnapshot(tuple(models), tuple(versions)), runs)


@pytest.fixture
def seeded(settings, store):
    sync_fake(store, demo_like_registry(), T0)
    seed_demo_governance(store, settings, NOW)
    return RiskService(store, settings)


def test_most_models_are_assessed_some_not(seeded):
    portfolio = seeded.portfolio(NOW)
    assert {m.name for m in portfolio.models if m.assessments} == ASSESSED
    # The German model is in production without an assessment; the experiment is not live.
    assert portfolio.unassessed == ("Kündigungsprognose Geschäftskunden",)
    delivery = seeded.model("delivery-time-estimate", NOW)
    assert (delivery.in_production, delivery.assessments) == (False, {})
    for model in portfolio.models:
        if model.name in ASSESSED:
            assert len(model.assessments) >= 3, model.name


def test_one_review_is_overdue(seeded):
    [overdue] = seeded.portfolio(NOW).overdue
    assert (overdue.model_name, overdue.risk) == ("property-valuation", "decay")
    assert overdue.next_review < NOW.date()
    assert overdue.assessed_at == NOW - timedelta(days=200)
    assert overdue.assessed_by == "hannah.weber@example.com"


def test_the_high_risks_of_the_portfolio(seeded):
    high = [(a.model_name, a.risk, a.score) for a in seeded.portfolio(NOW).high_risks]
    assert high == [
        ("credit-default-risk", "decay", 15),
        ("credit-default-risk", "wrong_predictions", 15),
        ("customer-churn", "decay", 12),
        ("employee-attrition", "knowledge_loss", 12),
        ("property-valuation", "decay", 12),
    ]


def test_the_churn_models_decay_was_raised_and_keeps_its_history(seeded):
    history = [a for a in seeded.history("customer-churn") if a.risk == "decay"]
    assert [(a.likelihood, a.impact, a.level) for a in history] == [
        (4, 3, "high"),
        (3, 3, "medium"),
    ]
    assert [a.assessed_at for a in history] == [NOW - timedelta(days=5), NOW - timedelta(days=35)]


def test_accountability_and_the_gaps_left_open(seeded):
    portfolio = seeded.portfolio(NOW)
    assert portfolio.without_executive == (
        "credit-default-risk",
        "Kündigungsprognose Geschäftskunden",
    )
    churn = seeded.model("customer-churn", NOW)
    assert churn.governance.accountable_executive == "markus.schneider@example.com"
    assert churn.governance.business_owner == "sophie.wagner@example.com"
    executives = [m.governance.accountable_executive for m in portfolio.models if m.in_production]
    assert sum(bool(e) for e in executives) == 4


def test_credit_model_is_eu_ai_act_high_risk_with_evidence_gaps(seeded):
    credit = seeded.model("credit-default-risk", NOW)
    assert (credit.decision_mode, credit.governance.ai_act_category) == ("automated", "high")
    assert credit.governance.serving_mode == "real_time"
    evidence = {item.code: item.present for item in credit.evidence}
    assert evidence["documentation"] is True
    assert (evidence["human_oversight"], evidence["accountable_executive"]) == (False, False)
    others = [m for m in seeded.portfolio(NOW).models if m.name != "credit-default-risk"]
    assert all(m.evidence == () for m in others)


def test_experts_are_named(seeded):
    assert seeded.model("customer-churn", NOW).experts == (
        "petra.klein@example.com",
        "tobias.wolf@example.com",
    )
    assert seeded.model("Kündigungsprognose Geschäftskunden", NOW).experts == (
        "sabine.koch@example.com",
    )


def test_every_seed_write_is_audited_as_the_person_who_made_it(seeded):
    entries = AuditService(seeded.store).entries(LOCAL_USER, AuditFilter())
    experts = sum(len(emails) for emails in EXPERTS.values())
    assert len(entries) == len(GOVERNANCE) + len(ASSESSMENTS) + experts
    actors = {e.actor for e in entries if e.action == "risk.assessed"}
    assert actors == {OWNERS[name][1] for name in ASSESSED}
    assert {e.actor for e in entries if e.action == "governance.changed"} == {
        "risk.office@example.com"
    }


# --- the seed's data against the demo catalog ---------------------------------------------------


def test_owners_are_the_catalogs_technical_owners():
    catalog_owners = {spec.name: spec.tags.get("owner") for spec in MODELS}
    assert {name: email for name, (_, email) in OWNERS.items()} == {
        name: owner for name, owner in catalog_owners.items() if owner
    }
    names = set(catalog_owners)
    assert {a.model for a in ASSESSMENTS} <= names
    assert set(GOVERNANCE) <= names and set(EXPERTS) <= names


def test_every_seed_assessment_was_valid_when_it_was_made():
    for item in ASSESSMENTS:
        at = item.assessed_at(NOW)
        assert check_assessment(item.draft(NOW), at.date()) == [], item
        assert item.mitigation and item.mitigation.isascii()


def test_one_demo_model_had_a_single_contributor_in_the_last_year():
    def recent_authors(spec):
        return {v.author for v in spec.versions if v.days_ago <= 365}

    attrition = next(spec for spec in MODELS if spec.name == "employee-attrition")
    assert {v.author for v in attrition.versions} == {"elena.petrova@example.com"}
    assert recent_authors(attrition) == {"elena.petrova@example.com"}
