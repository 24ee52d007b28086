"""The demo's use cases: nine business problems, from a proposal waiting for its design approval
to six in production, each entered through the use case service by the person who did it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.config import Settings
from portal.domain.use_cases import MetricDraft, UseCaseDraft
from portal.domain.value import BenchmarkDraft
from portal.services.identity import Identity
from portal.services.use_cases import UseCaseService
from portal.store.database import Store


def _person(name: str, email: str, *roles: str) -> Identity:
    return Identity(name, email, frozenset({"viewer", *roles}))


SOPHIE = _person("Sophie Wagner", "sophie.wagner@example.com")
JULIA = _person("Julia Hoffmann", "julia.hoffmann@example.com")
MARTIN = _person("Martin Krause", "martin.krause@example.com")
NINA = _person("Nina Schulz", "nina.schulz@example.com")
KATRIN = _person("Katrin Vogel", "katrin.vogel@example.com")
JONAS = _person("Jonas Müller", "jonas.mueller@example.com")
MAX = _person("Max Berger", "max.berger@example.com", "expert")  # a domain expert for logistics
CARLA = _person("Carla Rossi", "carla.rossi@example.com")
MARKUS = _person("Markus Schneider", "markus.schneider@example.com")


@dataclass(frozen=True)
class DemoUseCase:
    """One use case of the story: who proposed it when, where it stands, what serves it."""

    draft: UseCaseDraft
    proposer: Identity
    proposed_days_ago: int
    status: str  # where the story has it once its design is approved
    developed_days_ago: int = 0  # when development started (in_development and later)
    live_days_ago: int = 0  # when it went into production
    linked_model: str = ""  # linked in the portal (customer-churn and employee-attrition
    # name theirs with the MLflow tag `use_case`)
    benchmark: BenchmarkDraft | None = None


def _metric(name: str, kind: str, target: float, unit: str = "", at_most: bool = False):
    return MetricDraft(name, kind, "at_most" if at_most else "at_least", target, unit)


def _promise(
    kpi: str,
    baseline: float,
    target: float,
    direction: str,
    aggregation: str,
    unit: str,
    money: float | None,
    rationale: str,
    valid_from: date,
) -> BenchmarkDraft:
    return BenchmarkDraft(
        kpi, baseline, target, direction, aggregation, unit, money, rationale, valid_from
    )


def use_cases(now: datetime) -> tuple[DemoUseCase, ...]:
    """The nine use cases, dated back from the demo's now."""

    def month(days: int) -> date:
        return (now - timedelta(days=days)).date().replace(day=1)

    return (
        DemoUseCase(
            UseCaseDraft(
                "customer-retention",
                "Call customers before they cancel",
                "Which private customers are about to cancel their contract, so that the "
                "retention team calls them first?",
                "Customer retention",
                "Consumer sales",
                "markus.schneider@example.com",
                "sophie.wagner@example.com",
                "Retention team (40 agents), team leads",
                "GDPR: contract and usage data of private customers",
                180_000,
                "2 data scientists for 6 months, 1 CRM developer",
                (
                    _metric("roc_auc", "model", 0.80),
                    _metric("retention rate increase", "business", 4, "%"),
                ),
            ),
            SOPHIE,
            780,
            "in_production",
            720,
            690,
            benchmark=_promise(
                "customers kept per month",
                310,
                390,
                "higher",
                "sum",
                "customers",
                45.0,
                "Calling the 600 customers most likely to cancel kept about 80 more a month "
                "in the retention team's test weeks.",
                month(690),
            ),
        ),
        DemoUseCase(
            UseCaseDraft(
                "credit-default",
                "Lend to those who will pay back",
                "How likely is a loan applicant to default, so that credit officers decide "
                "faster and lose less?",
                "Retail lending",
                "Retail credit",
                "",
                "julia.hoffmann@example.com",
                "Credit officers in 120 branches",
                "EU AI Act high risk (creditworthiness); consumer credit directive",
                250_000,
                "3 data scientists for 8 months",
                (
                    _metric("roc_auc", "model", 0.75),
                    _metric("default rate", "business", 3.2, "%", at_most=True),
                ),
            ),
            JULIA,
            740,
            "in_production",
            700,
            640,
            linked_model="credit-default-risk",
            benchmark=_promise(
                "default rate",
                4.2,
                3.2,
                "lower",
                "mean",
                "%",
                20_000.0,
                "Back-testing on last year's applications showed a point less of defaults.",
                month(640),
            ),
        ),
        DemoUseCase(
            UseCaseDraft(
                "workforce-planning",
                "Plan hiring before people leave",
                "How many employees per department will leave within a year?",
                "Workforce planning",
                "Human resources",
                "claudia.richter@example.com",
                "martin.krause@example.com",
                "HR business partners; department heads see totals only",
                "GDPR and works council agreement: no decision about a single person",
                90_000,
                "1 data scientist for 4 months",
                (
                    _metric("roc_auc", "model", 0.78),
                    _metric("regretted leavers per month", "business", 18, "leavers", True),
                ),
            ),
            MARTIN,
            620,
            "in_production",
            580,
            530,
        ),
        DemoUseCase(
            UseCaseDraft(
                "transit-capacity",
                "Run enough trains, not too many",
                "How many passengers will ride each line in the next two weeks, so that "
                "rosters match demand?",
                "Capacity planning",
                "Network operations",
                "oliver.brandt@example.com",
                "nina.schulz@example.com",
                "Network planners, roster office",
                "",
                150_000,
                "2 data scientists for 5 months",
                (
                    _metric("mae", "model", 400, "passengers", at_most=True),
                    _metric("overtime hours per month", "business", 1450, "hours", True),
                ),
            ),
            NINA,
            680,
            "in_production",
            640,
            595,
            linked_model="transit-ridership-forecast",
        ),
        DemoUseCase(
            UseCaseDraft(
                "property-pricing",
                "Value properties in days, not weeks",
                "What is a property worth, as a starting point for the valuer?",
                "Mortgage valuation",
                "Mortgage lending",
                "katrin.vogel@example.com",
                "",
                "Valuers (25)",
                "Mortgage credit directive: a valuer sets the final value",
                120_000,
                "1 data scientist, 1 valuer for 5 months",
                (_metric("valuation turnaround days", "business", 6.5, "days", at_most=True),),
            ),
            KATRIN,
            640,
            "in_production",
            600,
            550,
            linked_model="property-valuation",
        ),
        DemoUseCase(
            UseCaseDraft(
                "b2b-retention",
                "Geschäftskunden halten, bevor sie kündigen",
                "Welche Geschäftskunden werden ihren Vertrag voraussichtlich kündigen, damit "
                "der Außendienst sie zuerst besucht?",
                "Kundenbindung Geschäftskunden",
                "Vertrieb Geschäftskunden",
                "",
                "sabine.koch@example.com",
                "Außendienst (18 Personen)",
                "DSGVO: Vertragsdaten der Geschäftskunden",
                80_000,
                "1 Data Scientist für 4 Monate",
                (_metric("roc_auc", "model", 0.78),),
            ),
            JONAS,
            560,
            "in_production",
            520,
            470,
            linked_model="Kündigungsprognose Geschäftskunden",
        ),
        DemoUseCase(
            UseCaseDraft(
                "delivery-eta",
                "Tell customers when their parcel arrives",
                "When will a parcel reach its customer, to the hour?",
                "Parcel delivery",
                "Logistics",
                "oliver.brandt@example.com",
                "",
                "Customer service, the tracking page",
                "",
                60_000,
                "1 data scientist for 3 months",
                (_metric("mae", "model", 2.0, "hours", at_most=True),),
            ),
            MAX,
            120,
            "in_development",
            40,
            linked_model="delivery-time-estimate",
            benchmark=_promise(
                "calls asking where a parcel is",
                5200,
                3900,
                "lower",
                "sum",
                "calls",
                4.0,
                "Customers who see an arrival hour call a quarter less, in the pilot region.",
                month(0),
            ),
        ),
        DemoUseCase(
            UseCaseDraft(
                "invoice-fraud",
                "Flag fraudulent supplier invoices",
                "Which incoming supplier invoices are likely fraudulent, so that accounts "
                "payable checks them before paying?",
                "Accounts payable",
                "Finance",
                "katrin.vogel@example.com",
                "julia.hoffmann@example.com",
                "Accounts payable clerks (12)",
                "Internal control system (ICS); GoBD record keeping",
                140_000,
                "2 data scientists for 6 months, nobody assigned yet",
                (
                    _metric("recall", "model", 0.85),
                    _metric("fraud losses per month", "business", 20_000, "EUR", True),
                ),
            ),
            CARLA,
            75,
            "approved",
            benchmark=_promise(
                "fraud losses per month",
                60_000,
                20_000,
                "lower",
                "sum",
                "EUR",
                1.0,
                "Last year's 14 fraud cases cost 720,000 EUR; two thirds had a sign a check "
                "would have caught.",
                month(0),
            ),
        ),
        DemoUseCase(
            UseCaseDraft(
                "claims-triage",
                "Send each claim to the right handler first time",
                "Which team should handle an incoming customer claim, so that it is settled "
                "without being passed on?",
                "Claims handling",
                "Customer service",
                "markus.schneider@example.com",
                "tobias.wolf@example.com",
                "Claims desk (30 handlers)",
                "",
                70_000,
                "1 data scientist for 3 months",
                (
                    _metric("accuracy", "model", 0.85),
                    _metric("claims passed on per month", "business", 300, "claims", True),
                ),
            ),
            MARKUS,
            9,
            "proposed",
        ),
    )


def seed_demo_use_cases(store: Store, settings: Settings, now: datetime) -> None:
    """Propose the use cases, link their models and set their promises, as their owners did;
    their design approvals are the sign-offs' (advance_demo_use_cases moves them on after)."""
    service = UseCaseService(store, settings)
    for case in use_cases(now):
        proposed = now - timedelta(days=case.proposed_days_ago)
        service.propose(case.proposer, case.draft, now=proposed)
        if case.benchmark is not None:
            at = proposed + timedelta(days=14)
            service.set_benchmark(case.proposer, case.draft.key, case.benchmark, now=at)
        if case.linked_model:
            at = now - timedelta(days=case.live_days_ago or case.developed_days_ago)
            service.link_model(case.proposer, case.draft.key, case.linked_model, now=at)


def advance_demo_use_cases(store: Store, settings: Settings, now: datetime) -> None:
    """Move the use cases whose design was approved into development and production, as their
    owners did (one still waiting for its approval stays where it is)."""
    service = UseCaseService(store, settings)
    approved = {u.key for u in service.all() if u.status == "approved"}
    for case in use_cases(now):
        if case.draft.key not in approved:
            continue
        if case.status in ("in_development", "in_production"):
            at = now - timedelta(days=case.developed_days_ago)
            service.set_status(case.proposer, case.draft.key, "in_development", now=at)
        if case.status == "in_production":
            at = now - timedelta(days=case.live_days_ago)
            service.set_status(case.proposer, case.draft.key, "in_production", now=at)
