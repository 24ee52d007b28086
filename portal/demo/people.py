"""The demo's people by name: everyone its models, accountability and experts name by e-mail."""

from __future__ import annotations

from datetime import datetime

from portal.config import Settings
from portal.domain.people import Person
from portal.runtime import command_runtime
from portal.services.people import PeopleService
from portal.store.database import Store

# (e-mail, name, team, manager): the data scientists under their executives, the business and
# domain people in their departments. The directory would come from an HR export in a company.
DEMO_PEOPLE: tuple[tuple[str, str, str, str], ...] = (
    ("markus.schneider@example.com", "Markus Schneider", "Customer Service", ""),
    ("claudia.richter@example.com", "Claudia Richter", "Human Resources", ""),
    ("oliver.brandt@example.com", "Oliver Brandt", "Network Operations", ""),
    ("katrin.vogel@example.com", "Katrin Vogel", "Mortgage Lending", ""),
    (
        "sophie.wagner@example.com",
        "Sophie Wagner",
        "Customer Retention",
        "markus.schneider@example.com",
    ),
    ("julia.hoffmann@example.com", "Julia Hoffmann", "Retail Credit", ""),
    (
        "martin.krause@example.com",
        "Martin Krause",
        "Human Resources",
        "claudia.richter@example.com",
    ),
    ("nina.schulz@example.com", "Nina Schulz", "Network Planning", "oliver.brandt@example.com"),
    (
        "anna.schmidt@example.com",
        "Anna Schmidt",
        "Customer Analytics",
        "markus.schneider@example.com",
    ),
    ("ben.okafor@example.com", "Ben Okafor", "Customer Analytics", "anna.schmidt@example.com"),
    (
        "carla.rossi@example.com",
        "Carla Rossi",
        "Credit Risk Modelling",
        "julia.hoffmann@example.com",
    ),
    (
        "david.nguyen@example.com",
        "David Nguyen",
        "Credit Risk Modelling",
        "carla.rossi@example.com",
    ),
    (
        "elena.petrova@example.com",
        "Elena Petrova",
        "People Analytics",
        "claudia.richter@example.com",
    ),
    (
        "farid.haddad@example.com",
        "Farid Haddad",
        "Operations Research",
        "oliver.brandt@example.com",
    ),
    ("grace.lee@example.com", "Grace Lee", "Operations Research", "farid.haddad@example.com"),
    ("hannah.weber@example.com", "Hannah Weber", "Valuation Analytics", "katrin.vogel@example.com"),
    ("ivan.horvat@example.com", "Ivan Horvat", "Valuation Analytics", "hannah.weber@example.com"),
    ("jonas.mueller@example.com", "Jonas Müller", "Vertriebsanalytik Geschäftskunden", ""),
    (
        "lena.fischer@example.com",
        "Lena Fischer",
        "Vertriebsanalytik Geschäftskunden",
        "jonas.mueller@example.com",
    ),
    ("max.berger@example.com", "Max Berger", "Logistics Analytics", ""),
    ("petra.klein@example.com", "Petra Klein", "Customer Retention", "sophie.wagner@example.com"),
    ("tobias.wolf@example.com", "Tobias Wolf", "Customer Retention", "sophie.wagner@example.com"),
    ("stefan.lange@example.com", "Stefan Lange", "Retail Credit", "julia.hoffmann@example.com"),
    ("sabine.koch@example.com", "Sabine Koch", "Key Account Sales", ""),
    ("risk.office@example.com", "Risk Office", "Risk Management", ""),
)


def demo_people() -> list[Person]:
    """The demo's people as the directory holds them."""
    return [
        Person(email, name, "demo", team, manager) for email, name, team, manager in DEMO_PEOPLE
    ]


def seed_demo_people(store: Store, settings: Settings, now: datetime) -> int:
    """Put the demo's people into the directory (a sign-in or an upload may rename them)."""
    return PeopleService(command_runtime(settings, store)).add_from_source(
        demo_people(), "demo", now
    )
