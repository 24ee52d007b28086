"""The demo's lifecycle story: use cases, costs, sign-offs, reviews and an incident, in the
order they build on each other (sign-offs need the use cases, an incident the ledger)."""

from __future__ import annotations

from datetime import datetime

from portal.config import Settings
from portal.demo.costs import seed_demo_costs
from portal.demo.incidents import seed_demo_incidents
from portal.demo.reviews import seed_demo_reviews
from portal.demo.signoffs import seed_demo_signoffs
from portal.demo.use_cases import advance_demo_use_cases, seed_demo_use_cases
from portal.store.database import Store


def seed_demo_lifecycle(store: Store, settings: Settings, now: datetime) -> None:
    """Every part of the story, each entered through the services as the person who did it."""
    seed_demo_use_cases(store, settings, now)
    seed_demo_costs(store, settings, now)
    seed_demo_signoffs(store, settings, now)
    # After the sign-offs: the design approvals let the use cases' owners move them into
    # development and production.
    advance_demo_use_cases(store, settings, now)
    seed_demo_reviews(store, settings, now)
    seed_demo_incidents(store, settings, now)
