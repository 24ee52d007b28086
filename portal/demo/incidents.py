"""The demo's incidents: an open serious one on the credit model (an EU AI Act high-risk model,
so its reporting deadline shows) and an older one on the churn model, closed with a root cause."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.config import Settings
from portal.domain.incidents import IncidentDraft
from portal.services.identity import Identity
from portal.services.incidents import IncidentService
from portal.store.database import Store

STEFAN = Identity("Stefan Lange", "stefan.lange@example.com", frozenset({"viewer"}))
SOPHIE = Identity("Sophie Wagner", "sophie.wagner@example.com", frozenset({"viewer"}))
ANNA = Identity("Anna Schmidt", "anna.schmidt@example.com", frozenset({"viewer"}))


def seed_demo_incidents(store: Store, settings: Settings, now: datetime) -> None:
    """Report both incidents as the people who noticed them; the churn model's owner closes
    the older one."""
    service = IncidentService(store, settings)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    service.report(
        STEFAN,
        IncidentDraft(
            "credit-default-risk",
            day - timedelta(days=6) + timedelta(hours=9, minutes=30),
            "wrong_predictions",
            "serious",
            "Self-employed applicants scored as defaulting",
            "Since Monday morning nearly every loan application from a self-employed person gets "
            "a default risk above 80 %, also for long-standing customers with a clean record. "
            "Salaried applicants look normal.",
            "Applications from self-employed people are declined or sent to manual review; the "
            "branch in Köln counted 37 complaints in two days.",
            212,
        ),
        "demo-incident-credit",
        now=day - timedelta(days=5) + timedelta(hours=11),
    )
    churn = service.report(
        SOPHIE,
        IncidentDraft(
            "customer-churn",
            day - timedelta(days=100) + timedelta(hours=6),
            "outage",
            "high",
            "No churn scores for the weekly call list",
            "The call list for the retention team was empty on Monday: the model produced no "
            "scores over the weekend.",
            "The retention team called from the previous week's list for three days.",
            None,
        ),
        "demo-incident-churn",
        now=day - timedelta(days=100) + timedelta(hours=10),
    )
    service.update(
        ANNA,
        churn.reference,
        "mitigated",
        "Scored the customers by hand from the last good run; the call list is back.",
        now=day - timedelta(days=99) + timedelta(hours=15),
    )
    service.update(
        ANNA,
        churn.reference,
        "closed",
        "The export job now alerts the team when it fails.",
        "A password rotation in the data warehouse locked out the nightly export job, so no "
        "customer data reached the model.",
        now=day - timedelta(days=93) + timedelta(hours=12),
    )
