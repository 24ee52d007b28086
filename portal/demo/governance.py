"""The demo's risk assessments, accountability and named experts, entered as owners and admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.config import Settings
from portal.domain.risk import AssessmentDraft, Governance
from portal.services.identity import Identity
from portal.services.risk import RiskService
from portal.store.database import Store

# The risk office keeps the accountability records; owners assess their own models.
RISK_OFFICE = Identity(
    "Risk Office", "risk.office@example.com", frozenset({"viewer", "expert", "admin"})
)

# Each model's technical owner as the demo catalog names them (its `owner` tag).
OWNERS: dict[str, tuple[str, str]] = {
    "customer-churn": ("Anna Schmidt", "anna.schmidt@example.com"),
    "credit-default-risk": ("Carla Rossi", "carla.rossi@example.com"),
    "employee-attrition": ("Elena Petrova", "elena.petrova@example.com"),
    "transit-ridership-forecast": ("Farid Haddad", "farid.haddad@example.com"),
    "property-valuation": ("Hannah Weber", "hannah.weber@example.com"),
    "Kündigungsprognose Geschäftskunden": ("Jonas Müller", "jonas.mueller@example.com"),
}


@dataclass(frozen=True)
class DemoAssessment:
    """An owner's assessment of one risk, made `days_ago` days before the demo's now."""

    model: str
    risk: str
    likelihood: int
    impact: int
    mitigation: str
    days_ago: int
    review_after_days: int  # the next review, counted from the assessment

    def draft(self, now: datetime) -> AssessmentDraft:
        assessed = self.assessed_at(now)
        review = assessed.date() + timedelta(days=self.review_after_days)
        return AssessmentDraft(self.risk, self.likelihood, self.impact, self.mitigation, review)

    def assessed_at(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days_ago)


# In the order they were made; a later assessment of the same risk supersedes an earlier one.
ASSESSMENTS: tuple[DemoAssessment, ...] = (
    # Assessed 200 days ago; the decay review was due after half a year and is now overdue.
    DemoAssessment(
        "property-valuation",
        "decay",
        3,
        4,
        "The valuer compares every estimate with the inspection result; the team looks at the "
        "gap each quarter.",
        200,
        180,
    ),
    DemoAssessment(
        "property-valuation",
        "wrong_predictions",
        3,
        3,
        "Estimates are a starting figure only; a valuer inspects every property before a "
        "mortgage is granted.",
        200,
        365,
    ),
    DemoAssessment(
        "property-valuation",
        "outage",
        1,
        2,
        "Valuers can work without the estimate; it only saves them time.",
        200,
        365,
    ),
    DemoAssessment(
        "employee-attrition",
        "knowledge_loss",
        4,
        3,
        "Only Elena has trained this model. A second data scientist pairs with her on the next "
        "retraining, and the training notebook moves into the team repository.",
        60,
        120,
    ),
    DemoAssessment(
        "employee-attrition",
        "wrong_predictions",
        2,
        3,
        "Used for department totals only, never for decisions about a single employee.",
        60,
        180,
    ),
    DemoAssessment(
        "employee-attrition",
        "decay",
        2,
        2,
        "Retrained after each annual employee survey.",
        60,
        180,
    ),
    DemoAssessment(
        "customer-churn",
        "decay",
        3,
        3,
        "Monthly drift check; retraining when two checks in a row show changed data.",
        35,
        180,
    ),
    DemoAssessment(
        "customer-churn",
        "wrong_predictions",
        3,
        2,
        "Agents report wrong calls through the feedback form; the team reviews them every two "
        "weeks.",
        35,
        180,
    ),
    DemoAssessment(
        "customer-churn",
        "outage",
        2,
        3,
        "If the monthly scores are missing, the retention team calls from last month's list.",
        35,
        180,
    ),
    DemoAssessment(
        "customer-churn",
        "knowledge_loss",
        2,
        2,
        "Two data scientists know the model; the training code is reviewed and documented.",
        35,
        365,
    ),
    DemoAssessment(
        "credit-default-risk",
        "wrong_predictions",
        3,
        5,
        "Applications close to the risk limit or above EUR 25,000 go to a credit officer; "
        "monthly review of approved loans that fall behind.",
        20,
        90,
    ),
    DemoAssessment(
        "credit-default-risk",
        "decay",
        3,
        5,
        "Weekly drift check; quarterly comparison of predicted and actual defaults, reported "
        "to the credit committee.",
        20,
        90,
    ),
    DemoAssessment(
        "credit-default-risk",
        "outage",
        2,
        4,
        "Without scores every application goes to manual review; staffing covers two days.",
        20,
        90,
    ),
    DemoAssessment(
        "credit-default-risk",
        "knowledge_loss",
        2,
        4,
        "Two modellers have trained versions; the model documentation follows the bank's "
        "model risk policy.",
        20,
        180,
    ),
    DemoAssessment(
        "transit-ridership-forecast",
        "wrong_predictions",
        3,
        2,
        "Planners add staff by hand for holidays, concerts and strikes the model does not know.",
        10,
        180,
    ),
    DemoAssessment(
        "transit-ridership-forecast",
        "decay",
        3,
        3,
        "Forecast error is checked weekly against turnstile counts.",
        10,
        180,
    ),
    DemoAssessment(
        "transit-ridership-forecast",
        "outage",
        1,
        2,
        "Rosters are planned two weeks ahead; a missing forecast can be redone the next day.",
        10,
        365,
    ),
    # The churn model's data changed: its owner raised the decay risk (history shows both).
    DemoAssessment(
        "customer-churn",
        "decay",
        4,
        3,
        "Data has changed since the last retraining: retraining on the last six months is "
        "planned; until then agents double-check customers with new contract types.",
        5,
        60,
    ),
)

# Accountability and criticality as the risk office recorded them. Kündigungsprognose
# Geschäftskunden has none yet, and credit-default-risk still lacks an accountable executive.
GOVERNANCE: dict[str, Governance] = {
    "customer-churn": Governance(
        accountable_executive="markus.schneider@example.com",
        business_owner="sophie.wagner@example.com",
        serving_mode="batch",
        ai_act_category="minimal",
        human_oversight="Retention agents decide whom to call and what to offer.",
    ),
    "credit-default-risk": Governance(
        accountable_executive="",
        business_owner="julia.hoffmann@example.com",
        serving_mode="real_time",
        ai_act_category="high",
        human_oversight="",
    ),
    "employee-attrition": Governance(
        accountable_executive="claudia.richter@example.com",
        business_owner="martin.krause@example.com",
        serving_mode="batch",
        ai_act_category="limited",
        human_oversight="Only department totals are shared; no decision about a single person.",
    ),
    "transit-ridership-forecast": Governance(
        accountable_executive="oliver.brandt@example.com",
        business_owner="nina.schulz@example.com",
        serving_mode="batch",
        ai_act_category="minimal",
        human_oversight="Planners review every roster before it is published.",
    ),
    "property-valuation": Governance(
        accountable_executive="katrin.vogel@example.com",
        business_owner="",
        serving_mode="real_time",
        ai_act_category="minimal",
        human_oversight="A valuer inspects every property and sets the final value.",
    ),
}
GOVERNANCE_DAYS_AGO = 45

# Domain experts each owner named: people to ask beside the owners.
EXPERTS: dict[str, tuple[str, ...]] = {
    "customer-churn": ("petra.klein@example.com", "tobias.wolf@example.com"),
    "credit-default-risk": ("stefan.lange@example.com",),
    "Kündigungsprognose Geschäftskunden": ("sabine.koch@example.com",),
}


def owner_identity(model: str) -> Identity:
    """The model's technical owner, signed in without any global role."""
    name, email = OWNERS[model]
    return Identity(name, email, frozenset({"viewer"}))


def seed_demo_governance(store: Store, settings: Settings, now: datetime) -> None:
    """Enter the demo's accountability, assessments and experts through the risk service."""
    service = RiskService(store, settings)
    recorded = now - timedelta(days=GOVERNANCE_DAYS_AGO)
    for model, values in GOVERNANCE.items():
        service.set_governance(RISK_OFFICE, model, values, now=recorded)
    for item in ASSESSMENTS:
        at = item.assessed_at(now)
        service.assess(owner_identity(item.model), item.model, item.draft(now), now=at)
    for model, emails in EXPERTS.items():
        for email in emails:
            service.name_expert(owner_identity(model), model, email, now=recorded)
